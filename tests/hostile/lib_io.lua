-- Tries io.open to write a file next to the data: io is not opened.
return { evaluate = function()
  local f = io.open("escaped.txt", "w"); f:write("x"); f:close()
  return maal.pass{message = "wrote a file"}
end }
