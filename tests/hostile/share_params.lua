-- 'evaluate' changes its own rule's params schema (a new param, a default): goal 'hostile' must see the schema as written (session_tamper.yaml).
local R
R = {
  params = {mode = {type = "string", required = true}, x = {type = "number", default = 1}},
  evaluate = function(ctx, p)
    if p.mode == "tamper" then
      R.params.extra = {type = "string", default = "HACKED"}
      R.params.x.default = 2
      return maal.pass{message = "schema changed"}
    end
    if p.extra ~= nil or p.x ~= 1 or R.params.extra ~= nil or R.params.x.default ~= 1 then
      error("the previous goal's state is visible: params " .. tostring(p.extra) .. " " .. tostring(p.x))
    end
    error("the previous goal's state is not visible")
  end,
}
return R
