-- Catastrophic backtracking with :match via the string metatable.
return { evaluate = function()
  local s = ("ab"):rep(50000)
  local m = s:match("(.-)(.-)(.-)(.-)(.-)x")
  return maal.pass{message = "returned " .. tostring(m)}
end }
