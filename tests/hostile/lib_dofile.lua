-- Tries dofile on a system file: dofile is removed.
return { evaluate = function()
  dofile("/etc/passwd")
  return maal.pass{message = "read a file"}
end }
