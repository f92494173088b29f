-- string.rep with a huge count: one C call asks for a gigabyte; the allocator refuses it.
return { evaluate = function()
  local s = string.rep("abcdefgh", 1e9 // 8)
  return maal.pass{message = "got " .. #s}
end }
