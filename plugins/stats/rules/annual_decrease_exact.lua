-- annual_decrease_exact: like the standard annual_decrease ("andelen af utrygge skal årligt
-- udvise et fald": value(year) < value(year - 1)), but for small survey samples: when the
-- series has sample sizes for both years, whether the change is significant is decided with
-- Fisher's exact test (stats.fisher) on the counts the shares imply, round(p * n), instead of
-- the normal approximation of the two-proportion z-test, which is unreliable when a sample is
-- small or a share is near 0 or 100 %. The significance also gives the Wilson 95 % interval
-- for the year's share (stats.wilson).
-- Needs the native module: maal check FILE --plugin plugins/stats
-- Params: series (required, a percent series); scope (area); alpha (0.05);
--   require_significant (false): with true, a decrease passes only when it is significant
--   (by the exact test, or else by the data's significance statement); when neither can
--   decide, the verdict is nodata.
-- Missing data: as annual_decrease (nodata when year - 1 is missing or an area change lies
--   between).
local m = maal.msg

local function pct(x) return maal.fmt(math.floor(x * 1000 + 0.5) / 10) end

return {
  title = {da = "Årligt fald (eksakt test)", en = "Annual decrease (exact test)"},
  description = "value(year) < value(year - 1); significance by Fisher's exact test",
  params = {
    series = {type = "string", required = true},
    scope = {type = "string", default = "area", enum = {"area", "district", "city"}},
    alpha = {type = "number", default = 0.05},
    require_significant = {type = "boolean", default = false},
  },
  evaluate = function(ctx, p)
    local st = rawget(_ENV, "stats")
    if type(st) ~= "table" then
      error(m("stats.fisher findes ikke: giv plugin'et med --plugin plugins/stats",
        "stats.fisher is not available: give the plugin with --plugin plugins/stats"), 0)
    end
    if not (p.alpha > 0 and p.alpha < 1) then
      error(m("parameteren 'alpha' skal ligge mellem 0 og 1", "parameter 'alpha' must lie between 0 and 1"), 0)
    end
    local t = maal.annual(ctx, p, -1) -- the standard rule's verdict, numbers and message
    if t.baseline == nil then return t end -- nodata: nothing to test
    local s = ctx.series(p.series)
    local y, prev_y = t.year, t.baseline_year
    local n1, n2 = s:sample(prev_y, p.scope), s:sample(y, p.scope)
    local significant -- true/false when decided, nil when not
    if n1 and n2 and n1 > 0 and n2 > 0 and n1 + n2 <= 1000000 then
      if s.unit ~= "percent" then
        error(string.format(m("serien '%s' har enheden %s; den eksakte test kræver en andel i procent",
          "series '%s' has the unit %s; the exact test needs a share in percent"), s.id, s.unit), 0)
      end
      local k1 = math.floor(t.baseline / 100 * n1 + 0.5)
      local k2 = math.floor(t.actual / 100 * n2 + 0.5)
      local pv = st.fisher(k1, n1 - k1, k2, n2 - k2)
      local lo, hi = st.wilson(k2, n2)
      significant = pv < p.alpha
      t.significance = string.format(m(
        "%s (Fishers eksakte test: p = %s, %s af %s i %d mod %s af %s i %d; 95 %%-konfidensinterval for %d: %s–%s %%)",
        "%s (Fisher's exact test: p = %s, %s of %s in %d against %s of %s in %d; 95 %% confidence interval for %d: %s–%s %%)"),
        significant and m("ændringen er signifikant", "the change is significant")
                     or m("ændringen er ikke signifikant", "the change is not significant"),
        maal.fmt(pv, 3), maal.fmt(k2), maal.fmt(n2), y, maal.fmt(k1), maal.fmt(n1), prev_y, y,
        pct(lo), pct(hi))
    else
      local stated = s:significance(p.scope, prev_y, y)
      if stated ~= nil then significant = stated end
    end
    if p.require_significant and t.verdict == "pass" then
      if significant == nil then
        return maal.nodata(t.message .. m("; signifikansen kan ikke afgøres (ingen stikprøvestørrelser eller angivelse)",
          "; significance cannot be decided (no sample sizes or statement)"),
          {actual = t.actual, baseline = t.baseline, baseline_year = t.baseline_year, year = t.year,
           change = t.change, unit = t.unit, significance = t.significance})
      end
      if not significant then
        t.verdict = "fail"
        t.message = t.message .. m(", og faldet skal være signifikant", ", and the decrease must be significant")
      end
    end
    return t
  end,
}
