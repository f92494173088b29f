-- The main chunk's own globals kept in a local: 'evaluate' writes a global through it, goal 'hostile' must not read it (session_tamper.yaml).
local env = _ENV
local g = _G
return {
  params = {mode = {type = "string", required = true}},
  evaluate = function(ctx, p)
    if p.mode == "tamper" then
      env.leak = "HACKED"; g.leak2 = "HACKED"; rawset(env, "leak3", "HACKED")
      env.string = {upper = function() return "HACKED" end}
      return maal.pass{message = "wrote through the main chunk's _ENV"}
    end
    if leak ~= nil or leak2 ~= nil or leak3 ~= nil or string.upper("a") ~= "A" then
      error("the previous goal's state is visible: globals")
    end
    error("the previous goal's state is not visible")
  end,
}
