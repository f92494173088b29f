-- table.concat within the item bound (10^7) of a table whose __index is a C function, called in a loop between two hook checks.
return { evaluate = function()
  local t = setmetatable({}, {__index = rawlen})
  for i = 1, math.maxinteger do pcall(table.concat, t, "", 1, 1e7 - 1) end
end }
