-- table.move within the item bound (10^7) but with C __index/__newindex (~0.4 s a call), called in a loop: the hook checks the clock only every 1000 instructions.
return { evaluate = function()
  local t = setmetatable({}, {__index = rawlen, __newindex = rawequal})
  for i = 1, math.maxinteger do pcall(table.move, t, 1, 1e7 - 1, 2) end
end }
