-- fisher: a test harness, no rule for partnerships: returns stats.fisher(a, b, c, d) as the
-- actual value, so fisher_test.yaml can compare the native module's numbers with known ones.
-- Run: maal test tests/plugins/stats --plugin plugins/stats
return {
  title = "stats.fisher",
  params = {a = "number", b = "number", c = "number", d = "number", args = "list"},
  evaluate = function(ctx, p)
    local v
    if p.args then
      v = stats.fisher(table.unpack(p.args))
    else
      v = stats.fisher(p.a, p.b, p.c, p.d)
    end
    return maal.info({actual = v, message = string.format("p = %.17g", v)})
  end,
}
