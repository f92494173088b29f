-- A module-level table that 'evaluate' fills: goal 'hostile' must find it empty (session_tamper.yaml).
local cache = {}
return {
  params = {mode = {type = "string", required = true}},
  evaluate = function(ctx, p)
    if p.mode == "tamper" then cache.leak = "HACKED"; return maal.pass{message = "cached"} end
    if next(cache) ~= nil then error("the previous goal's state is visible: cache." .. tostring(next(cache))) end
    error("the previous goal's state is not visible")
  end,
}
