-- An iterator made by the main chunk (pairs of a read-only table, string.gmatch) and advanced by 'evaluate': goal 'hostile' must find it at its start (session_tamper.yaml).
local it = pairs(maal)
local first = it()
local it2 = pairs(maal)
local words = ("a b c d"):gmatch("%a")
return {
  params = {mode = {type = "string", required = true}},
  evaluate = function(ctx, p)
    if p.mode == "tamper" then
      it2(); it2(); words(); words()
      return maal.pass{message = "advanced"}
    end
    if it2() ~= first then error("the previous goal's state is visible: pairs iterator") end
    if words() ~= "a" then error("the previous goal's state is visible: gmatch iterator") end
    error("the previous goal's state is not visible")
  end,
}
