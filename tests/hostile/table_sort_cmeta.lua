-- table.sort of 2^31-2 virtual elements: Lua __len, C __index (rawlen) and C __newindex (rawequal), so no hook and no memory.
return { evaluate = function()
  pcall(table.sort, setmetatable({}, {__len = function() return 2^31 - 2 end,
                                      __index = rawlen, __newindex = rawequal}))
  while true do end
end }
