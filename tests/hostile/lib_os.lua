-- Tries os.execute / os.remove / os.exit: os is not opened.
return { evaluate = function()
  os.execute("touch escaped.txt")
  return maal.pass{message = "ran a command"}
end }
