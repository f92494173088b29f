-- table.insert where __len says 1 to the guard's check and 10^15 to the C function's own call: C shifts 10^15 nils.
return { evaluate = function()
  local calls = 0
  local t = setmetatable({}, {__len = function() calls = calls + 1; return calls == 1 and 1 or 1e15 end})
  pcall(table.insert, t, 1, true)
  while true do end
end }
