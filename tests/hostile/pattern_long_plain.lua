-- A plain find of a 4 MB needle in an 8 MB haystack: O(n*m) memcmp in C, no quantifier for the guard to count.
return { evaluate = function()
  local s = ("a"):rep(8000000)
  pcall(string.find, s, ("a"):rep(4000000) .. "b", 1, true)
  while true do end
end }
