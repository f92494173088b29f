-- Catastrophic backtracking with string.gsub over a long subject.
return { evaluate = function()
  local s = ("a"):rep(200000)
  local r = s:gsub("a*a*a*a*b", "")
  return maal.pass{message = "returned " .. #r}
end }
