-- Memory bomb with tables: allocates ever more tables (16 slots each); the counting allocator refuses.
return { evaluate = function()
  local t = {}
  for i = 1, math.maxinteger do t[i] = {i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i} end
end }
