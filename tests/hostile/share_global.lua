-- 'evaluate' sets globals (plain, through _G and _ENV, and with rawset): goal 'hostile' must read none of them, also through __index (session_tamper.yaml).
return {
  params = {mode = {type = "string", required = true}},
  evaluate = function(ctx, p)
    if p.mode == "tamper" then
      leak = "HACKED"; _G.leak2 = "HACKED"; _ENV.leak3 = "HACKED"; rawset(_G, "leak4", "HACKED")
      maal_fmt = maal.fmt
      return maal.pass{message = "set globals"}
    end
    if leak ~= nil or leak2 ~= nil or leak3 ~= nil or leak4 ~= nil or maal_fmt ~= nil then
      error("the previous goal's state is visible: globals")
    end
    error("the previous goal's state is not visible")
  end,
}
