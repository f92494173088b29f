-- 'evaluate' gives a module-level table a metatable: goal 'hostile' must see the table without it (session_tamper.yaml).
local t = {a = 1}
return {
  params = {mode = {type = "string", required = true}},
  evaluate = function(ctx, p)
    if p.mode == "tamper" then
      setmetatable(t, {__index = function() return "HACKED" end})
      return maal.pass{message = "metatable set"}
    end
    if t.b ~= nil or getmetatable(t) ~= nil then error("the previous goal's state is visible: metatable") end
    error("the previous goal's state is not visible")
  end,
}
