-- Deep (unbounded) recursion in Lua, not a tail call.
return { evaluate = function()
  local function f(n) return 1 + f(n + 1) end
  return maal.pass{message = tostring(f(1))}
end }
