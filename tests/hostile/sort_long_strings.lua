-- 10^5 references to one 1 MiB string (the issue used 16 MiB; 1 MiB is as bad and quick to
-- build), then table.sort: every comparison is a 1 MiB strcmp in C, which the instruction
-- hook cannot interrupt.
return { evaluate = function()
  local s = ("x"):rep(1024 * 1024)
  local t = {}
  for i = 1, 100000 do t[i] = s end
  table.sort(t)
  return maal.pass{message = "sorted"}
end }
