-- table.move over 10^15 empty slots: a C loop that allocates nothing, so neither the hook nor the allocator stops it.
return { evaluate = function()
  pcall(table.move, {}, 1, 1e15, 2)
  while true do end
end }
