-- wilson: a test harness, no rule for partnerships: returns the lower or upper bound of
-- stats.wilson(k, n [, z]) as the actual value, for wilson_test.yaml.
-- Run: maal test tests/plugins/stats --plugin plugins/stats
return {
  title = "stats.wilson",
  params = {k = "number", n = "number", z = "number", bound = {type = "string", enum = {"lower", "upper"}}},
  evaluate = function(ctx, p)
    local lo, hi
    if p.z then lo, hi = stats.wilson(p.k, p.n, p.z) else lo, hi = stats.wilson(p.k, p.n) end
    local v = p.bound == "upper" and hi or lo
    return maal.info({actual = v, message = string.format("%.17g %.17g", lo, hi)})
  end,
}
