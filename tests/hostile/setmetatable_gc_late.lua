-- Adds __gc to a metatable after setmetatable (Lua 5.4 then does not mark the object), then errors: the finalizer must never run at lua_close.
return { evaluate = function()
  local mt = {}
  local t = setmetatable({}, mt)
  mt.__gc = function() while true do end end
  t = nil
  error("late __gc added")
end }
