-- Tries loadstring (Lua 5.1 name): not present.
return { evaluate = function()
  local f = loadstring("return 1")
  return maal.pass{message = tostring(f())}
end }
