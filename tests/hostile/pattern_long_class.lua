-- One quantifier over a 10000-character set on a 14000-character subject: the guard allows it (14000^2 < 2e8), C scans the set at every step.
return { evaluate = function()
  local s = ("a"):rep(14000)
  pcall(string.find, s, "[" .. ("b"):rep(10000) .. "a]*c")
  while true do end
end }
