-- Tampers with the string metatable (getmetatable("").__index, string.upper, the table behind pairs(string)), then errors; 'after' runs in its own state.
pcall(function() getmetatable("").__index = {upper = function() return "HACKED" end} end)
pcall(function() string.upper = function() return "HACKED" end end)
pcall(rawset, string, "format", function() return "HACKED" end)
pcall(function() local _, raw = pairs(string); raw.upper = function() return "HACKED" end end)
return { evaluate = function()
  local tampered = ("a"):upper() == "HACKED" or string.format("%d", 1) == "HACKED"
  error("tamper attempt over (" .. (tampered and "tampered in its own state" or "refused") .. ")")
end }
