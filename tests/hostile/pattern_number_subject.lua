-- A number as the subject of string.find: Lua matches its text, so the backtracking guard must
-- look at that text too (it ran only for string subjects).
return { evaluate = function()
  string.find(1111111111111111111, ("1?"):rep(60) .. "x")
  return maal.pass{message = "returned"}
end }
