-- A to-be-closed variable whose __close loops forever, closed while the timeout unwinds.
return { evaluate = function()
  local guard <close> = setmetatable({}, {__close = function() while true do end end})
  while true do end
end }
