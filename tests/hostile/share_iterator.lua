-- Iterators made by the main chunk and advanced by 'evaluate' (a closure of the rule's own, pairs of a read-only table): goal 'hostile' must find each at its start (session_tamper.yaml).
local function counter() local i = 0 return function() i = i + 1 return i end end
local count = counter()
local it, state, first = pairs(maal)
first = it(state, first)
return {
  params = {mode = {type = "string", required = true}},
  evaluate = function(ctx, p)
    if p.mode == "tamper" then
      count(); count(); it(state, first)
      return maal.pass{message = "advanced"}
    end
    if count() ~= 1 then error("the previous goal's state is visible: the rule's own iterator") end
    if it(state, nil) ~= first then error("the previous goal's state is visible: pairs iterator") end
    error("the previous goal's state is not visible")
  end,
}
