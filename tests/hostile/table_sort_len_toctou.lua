-- table.sort where __len says 2 to the guard and 2^31-2 to C, with C __index/__newindex: no hook, no memory.
return { evaluate = function()
  local calls = 0
  local t = setmetatable({}, {__len = function() calls = calls + 1; return calls == 1 and 2 or 2^31 - 2 end,
                              __index = rawlen, __newindex = rawequal})
  pcall(table.sort, t)
  while true do end
end }
