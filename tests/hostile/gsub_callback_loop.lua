-- A string.gsub callback (Lua called from C) that loops forever: the hook still reaches it.
return { evaluate = function()
  local r = ("abc"):gsub(".", function(c) while true do end end)
  return maal.pass{message = r}
end }
