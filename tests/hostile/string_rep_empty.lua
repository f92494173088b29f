-- string.rep("", math.maxinteger): a C loop that allocates nothing, so neither the hook nor the allocator stops it.
return { evaluate = function()
  pcall(string.rep, "", math.maxinteger)
  while true do end
end }
