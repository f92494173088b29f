-- string.rep("", "1e18"): Lua reads the numeric text as a number, so a guard that checks
-- type(n) == "number" was skipped and the C loop ran 10^18 times, past any time limit.
return { evaluate = function()
  local r = string.rep("", "1e18")
  error("string.rep returned " .. #r .. " bytes at once")
end }
