-- Catastrophic backtracking with string.find: nested .* on a long subject that cannot match.
return { evaluate = function()
  local s = ("a"):rep(100000)
  string.find(s, ".*.*.*.*.*.*.*.*b")
  return maal.pass{message = "returned"}
end }
