-- Tries package.loadlib to load native code: package is not opened.
return { evaluate = function()
  local f = package.loadlib("libc.so.6", "system")
  return maal.pass{message = tostring(f)}
end }
