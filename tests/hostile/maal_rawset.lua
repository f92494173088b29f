-- rawset on the maal library.
return { evaluate = function()
  rawset(maal, "pass", function() return {verdict = "pass", message = "forged"} end)
  return maal.pass()
end }
