-- Memory bomb with string concatenation: doubles a string until the memory limit stops it.
return { evaluate = function()
  local s = "x"
  while true do s = s .. s end
end }
