-- A module-level local that 'evaluate' changes: goal 'tamper' counts it up and passes; goal 'hostile' (same rule, same state) must see it at 0 (share_*.lua run in session_tamper.yaml).
local n = 0
return {
  params = {mode = {type = "string", required = true}},
  evaluate = function(ctx, p)
    n = n + 1
    if p.mode == "tamper" then return maal.pass{message = "counted to " .. n} end
    if n ~= 1 then error("the previous goal's state is visible: n = " .. n) end
    error("the previous goal's state is not visible")
  end,
}
