-- Catches the out-of-memory error with pcall and reports success: hitting the limit once makes the goal an error.
return { evaluate = function()
  local ok = pcall(function() local s = "x" while true do s = s .. s end end)
  return maal.pass{message = "survived the memory limit: " .. tostring(ok)}
end }
