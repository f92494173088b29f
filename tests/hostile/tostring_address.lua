-- tostring, print and string.format("%s"/"%p") of a table, function or coroutine gave its
-- address ("table: 0x55d0..."): another report for the same data on every run (and between
-- --jobs 1 and 2), and where the heap is. The sandbox's versions leave the address out.
return { evaluate = function()
  print({}, print)
  local r = {tostring({}), tostring(print), tostring(setmetatable({}, {__name = "N"})),
    tostring(setmetatable({}, {__tostring = function() return "T" end})),
    string.format("%s|%5s|%%p", {}, 1), tostring(pcall(string.format, "%p", {})),
    tostring(pcall(string.format, "%-20p", 1)), tostring(pcall(("%p").format, "%p", 1)),
    tostring(1.5), tostring(nil)}
  error("addr: " .. table.concat(r, ","))
end }
