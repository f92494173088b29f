-- ctx.activities' filter with a __pairs that yields an allowed key first and 'financing' the
-- second time, and a value whose __eq receives what it is compared with: on the old code the
-- rule got the host's raw financing table of each activity and rewrote it, so the goal
-- 'after' (budget_balance) failed. The filter must be read once, raw, and compared raw.
local got = {}
local calls = 0
local grab
grab = setmetatable({}, {__eq = function(a, b)
  if type(a) == "table" and rawequal(b, grab) then got[#got + 1] = a end
  if type(b) == "table" and rawequal(a, grab) then got[#got + 1] = b end
  return true
end})
local filter = setmetatable({}, {__pairs = function()
  calls = calls + 1
  local key = calls == 1 and "id" or "financing"
  local done = false
  return function()
    if done then return nil end
    done = true
    return key, grab
  end
end})
return { evaluate = function(ctx)
  ctx.activities(filter)
  if #got == 0 then error("the filter's __eq was handed 0 host tables") end
  -- a goal that succeeds keeps its state for the next goal: that is what made this reach it
  for _, fin in ipairs(got) do if fin[2021] then fin[2021].v = 1000000 end end
  return maal.pass{message = "rewrote " .. #got .. " financing tables"}
end }
