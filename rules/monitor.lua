-- monitor: "årlig monitorering": reports value, baseline and signed change; never pass/fail.
-- Params: series (required); scope (area); baseline_year (default: the partnership's
--   baseline for the series' kind).
-- Missing data: nodata when there is no value; without a baseline value the verdict is
--   still info, with the value alone.
local m = maal.msg
local say = maal.std.say
return {
  title = {da = "Monitorering", en = "Monitoring"},
  description = "info: value, baseline and change",
  params = {
    series = {type = "string", required = true},
    scope = {type = "string", default = "area", enum = {"area", "district", "city"}},
    baseline_year = {type = "year"},
  },
  evaluate = function(ctx, p)
    local s = ctx.series(p.series)
    local y, v = s:latest(ctx.year, p.scope)
    if not y then
      return maal.nodata(say("ingen værdi for '%s' til og med %d", "no value for '%s' up to %d",
        s.name, ctx.year))
    end
    local by = p.baseline_year or ctx.baseline(s.kind)
    local b = by and by < y and s:value(by, p.scope)
    if not b or not ctx.comparable(s, by, y, p.scope) then
      return maal.info({actual = v, year = y, unit = s.unit,
        message = maal.std.monitor_message(s.name, v, s.unit, y)})
    end
    local change = maal.change(v, b)
    return maal.info({
      actual = v, baseline = b, baseline_year = by, year = y, change = change, unit = s.unit,
      message = maal.std.monitor_message(s.name, v, s.unit, y, b, by, change),
    })
  end,
}
