-- A string.gmatch iterator made by the main chunk (its state is in C) and advanced by 'evaluate': goal 'hostile' must find it at its start (session_tamper.yaml).
local words = ("a b c d"):gmatch("%a")
return {
  params = {mode = {type = "string", required = true}},
  evaluate = function(ctx, p)
    if p.mode == "tamper" then
      words(); words()
      return maal.pass{message = "advanced"}
    end
    if words() ~= "a" then error("the previous goal's state is visible: gmatch iterator") end
    error("the previous goal's state is not visible")
  end,
}
