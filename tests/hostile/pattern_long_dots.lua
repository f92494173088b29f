-- A long pattern of single-character classes ('.' x 100000) on a 1 MB subject: O(n*m) in C, zero quantifiers.
return { evaluate = function()
  local s = ("a"):rep(1000000)
  pcall(string.match, s, ("."):rep(100000) .. "b")
  while true do end
end }
