-- The main chunk draws a random number; 'evaluate' must draw the number after it in every goal, as math.random restarts from the same seed per goal (session_tamper.yaml).
local drawn = math.random(1, 1 << 30)
return {
  params = {mode = {type = "string", required = true}},
  evaluate = function(ctx, p)
    local r = math.random(1, 1 << 30)
    if p.mode == "tamper" then return maal.pass{message = "drew"} end
    math.randomseed(0)
    local first, second = math.random(1, 1 << 30), math.random(1, 1 << 30)
    if drawn ~= first or r ~= second then error("the previous goal's state is visible: math.random") end
    error("the previous goal's state is not visible")
  end,
}
