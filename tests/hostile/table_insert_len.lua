-- table.insert(t, 1, v) where a Lua __len claims 10^15 elements: C shifts 10^15 nils without allocating.
return { evaluate = function()
  pcall(table.insert, setmetatable({}, {__len = function() return 1e15 end}), 1, nil)
  while true do end
end }
