-- Raises an error object whose __tostring itself raises: the host must not call it.
return { evaluate = function()
  error(setmetatable({}, {__tostring = function() error("tostring exploded") end}))
end }
