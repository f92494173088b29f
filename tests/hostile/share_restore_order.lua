-- 'evaluate' empties a module-level table and fills it again with the same contents: goal 'hostile' must still see the order and length a fresh main chunk gives (session_tamper.yaml).
local function fresh() local t = {} for i = 1, 8 do t["k" .. i] = i end return t end
local t = fresh()
local order = {}
for k in next, t do order[#order + 1] = k end
return {
  params = {mode = {type = "string", required = true}},
  evaluate = function(ctx, p)
    if p.mode == "tamper" then
      for i = 1, 8 do t["k" .. i] = nil end
      for i = 1, 64 do t["x" .. i] = i end
      for i = 1, 64 do t["x" .. i] = nil end
      for i = 8, 1, -1 do t["k" .. i] = i end
      return maal.pass{message = "refilled"}
    end
    local now = {}
    for k in next, t do now[#now + 1] = k end
    if table.concat(now, ",") ~= table.concat(order, ",") then
      error("the previous goal's state is visible: order " .. table.concat(now, ","))
    end
    error("the previous goal's state is not visible")
  end,
}
