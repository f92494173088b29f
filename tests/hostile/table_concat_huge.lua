-- table.concat of a big table of long strings: the result would be far past the memory limit.
return { evaluate = function()
  local s, t = ("y"):rep(1000), {}
  for i = 1, 100000 do t[i] = s end
  local r = table.concat(t, ",")
  return maal.pass{message = "got " .. #r}
end }
