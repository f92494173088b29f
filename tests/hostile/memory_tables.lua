-- Memory bomb with tables: allocates nested tables without end; the counting allocator refuses.
return { evaluate = function()
  local t = {}
  for i = 1, math.maxinteger do t[i] = {i, i, i, {}} end
end }
