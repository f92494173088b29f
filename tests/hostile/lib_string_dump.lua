-- Tries string.dump to get bytecode of a function: removed from the string library.
return { evaluate = function()
  local b = string.dump(function() end)
  return maal.pass{message = "dumped " .. #b}
end }
