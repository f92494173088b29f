-- The same with a C function as the comparator (string.lower copies both strings in C) and
-- with a Lua one: the bound is on the bytes the sort reads, whatever compares them.
return { evaluate = function()
  local s = ("x"):rep(1024 * 1024)
  local t = {}
  for i = 1, 100000 do t[i] = s end
  pcall(table.sort, t, function(a, b) return a < b end)
  table.sort(t, string.lower)
  return maal.pass{message = "sorted"}
end }
