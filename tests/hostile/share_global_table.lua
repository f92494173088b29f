-- A global table made by the rule file's main chunk, filled by 'evaluate': goal 'hostile' must find it empty (session_tamper.yaml).
CACHE = {}
return {
  params = {mode = {type = "string", required = true}},
  evaluate = function(ctx, p)
    if p.mode == "tamper" then CACHE.leak = "HACKED"; return maal.pass{message = "cached"} end
    if CACHE.leak ~= nil then error("the previous goal's state is visible: CACHE.leak") end
    error("the previous goal's state is not visible")
  end,
}
