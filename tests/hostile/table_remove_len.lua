-- table.remove(t, 1) where a Lua __len claims 10^15 elements: C shifts 10^15 nils without allocating.
return { evaluate = function()
  pcall(table.remove, setmetatable({}, {__len = function() return 1e15 end}), 1)
  while true do end
end }
