-- Catches the out-of-memory error with pcall and reports success: hitting the limit once makes the goal an error.
return { evaluate = function()
  pcall(function() local t = {} while true do t[#t + 1] = ("x"):rep(64) .. #t end end)
  return maal.pass{message = "survived the memory limit"}
end }
