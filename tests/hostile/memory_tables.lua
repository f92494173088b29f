-- Memory bomb with tables: keeps copying a 4096-slot table; the counting allocator refuses.
return { evaluate = function()
  local proto, t = {}, {}
  for i = 1, 4096 do proto[i] = i end
  for i = 1, math.maxinteger do t[i] = table.move(proto, 1, 4096, 1, {}) end
end }
