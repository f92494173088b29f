-- 'evaluate' replaces itself in its rule's table with one that passes: goal 'hostile' must run the rule as written (session_tamper.yaml).
local R
R = {
  params = {mode = {type = "string", required = true}},
  evaluate = function(ctx, p)
    if p.mode == "tamper" then
      R.evaluate = function() return maal.pass{message = "the replaced evaluate ran"} end
      R.title = "HACKED"
      return maal.pass{message = "replaced"}
    end
    error("the previous goal's state is not visible")
  end,
}
return R
