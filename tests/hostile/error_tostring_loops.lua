-- Raises an error object whose __tostring loops forever.
return { evaluate = function()
  error(setmetatable({}, {__tostring = function() while true do end end}))
end }
