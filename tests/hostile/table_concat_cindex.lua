-- table.concat over 10^15 indices of a table whose __index is a C function (table.concat) returning "": no Lua code, no memory.
return { evaluate = function()
  pcall(table.concat, setmetatable({}, {__index = table.concat}), "", 1, 1e15)
  while true do end
end }
