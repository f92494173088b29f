-- A loop of guard-approved table.move calls over 9*10^6 empty slots (a few tenths of a second
-- each, in C): the hook sees the clock only every 1000 instructions, a few dozen calls, so the
-- loop ran for seconds past the limit. Each guard checks the deadline before its C call.
return { evaluate = function()
  local a, b = {}, {}
  while true do table.move(a, 1, 9e6, 1, b) end
end }
