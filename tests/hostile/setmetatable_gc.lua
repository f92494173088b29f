-- Installs a __gc finalizer that would run at lua_close, outside the time budget.
return { evaluate = function()
  setmetatable({}, {__gc = function() while true do end end})
  return maal.pass{message = "finalizer installed"}
end }
