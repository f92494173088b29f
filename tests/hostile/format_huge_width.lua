-- string.format with huge widths and precisions.
return { evaluate = function()
  local s = string.format("%99999999d|%.99999999f", 1, 1.5)
  return maal.pass{message = "formatted " .. #s}
end }
