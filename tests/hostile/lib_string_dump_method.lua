-- Tries ("").dump through the string metatable: removed there too.
return { evaluate = function()
  local b = (""):dump()
  return maal.pass{message = "dumped " .. tostring(b)}
end }
