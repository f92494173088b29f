-- pairs visited keys in hash order, and Lua seeds string hashes per state from the time and
-- addresses: the keys a rule listed in its message came in another order on every run (and
-- between --jobs 1 and 2). The sandbox's pairs visits them sorted, for a plain table and for
-- a read-only view (ctx), and keeps an own '__pairs'.
return { evaluate = function(ctx)
  local t = {[true] = 1, [false] = 1, [2.5] = 1, [-1] = 1, [10] = 1}
  for i = 1, 12 do t["k" .. i] = i end
  local r = {}
  for k, v in pairs(t) do r[#r + 1] = tostring(k) end
  for k in pairs(ctx) do r[#r + 1] = k end
  for k in pairs(setmetatable({}, {__pairs = function() return function(_, k) if not k then return "own" end end end})) do
    r[#r + 1] = k
  end
  local f, s = pairs({a = 1, b = 2, c = 3})
  r[#r + 1] = f(s, "a") .. tostring(pcall(f, s, "x"))
  r[#r + 1] = tostring(pcall(pairs, nil))
  error("order: " .. table.concat(r, ","))
end }
