-- Prints megabytes (the log must stay capped at 8 KiB), then loops forever.
return { evaluate = function()
  local line = ("p"):rep(1000)
  for i = 1, 20000 do print(line, i) end
  while true do print(line) end
end }
