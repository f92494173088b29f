-- Tries loadfile on a system file: loadfile is removed.
return { evaluate = function()
  local f = loadfile("/etc/passwd")
  return maal.pass{message = tostring(f)}
end }
