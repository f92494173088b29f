-- Exponential backtracking with '?' (a?^40 a^40 on a^40): the pattern guard counts only * + - and %b.
return { evaluate = function()
  local n = 40
  pcall(string.find, ("a"):rep(n), ("a?"):rep(n) .. ("a"):rep(n) .. "b")
  while true do end
end }
