-- Catastrophic backtracking with string.gmatch over a long subject.
return { evaluate = function()
  local s = ("a"):rep(200000)
  for w in s:gmatch("a+a+a+a+b") do end
  return maal.pass{message = "returned"}
end }
