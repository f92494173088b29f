-- at_most_baseline: a count or rate stays at most at its baseline year's level
-- ("skal som minimum fastholdes på 2020-niveau").
-- Params: series (required); scope (area); baseline_year (default: the partnership's
--   baseline for the series' kind); per_1000 (derive a rate from a count and the population).
-- Missing data: nodata when there is no value after the baseline, no baseline value, no
--   population (per_1000), or an area change lies between the two years.
local m = maal.msg
return {
  title = {da = "Højst på baseline-niveau", en = "At most the baseline level"},
  description = "value(year) <= value(baseline year)",
  params = {
    series = {type = "string", required = true},
    scope = {type = "string", default = "area", enum = {"area", "district", "city"}},
    baseline_year = {type = "year"},
    per_1000 = {type = "boolean", default = false},
  },
  evaluate = function(ctx, p)
    local s = ctx.series(p.series)
    local y, v = s:latest(ctx.year, p.scope) -- read first: the first source decides (CI annotations)
    local by = p.baseline_year or ctx.baseline(s.kind)
    if not by then
      return maal.nodata(string.format(m("intet baseline-år for '%s' (sæt baselines.%s eller baseline_year)",
        "no baseline year for '%s' (set baselines.%s or baseline_year)"), s.name, s.kind))
    end
    if not y or y <= by then
      return maal.nodata(string.format(m("ingen værdi for '%s' efter baseline-året %d (til og med %d)",
        "no value for '%s' after the baseline year %d (up to %d)"), s.name, by, ctx.year))
    end
    local b = s:value(by, p.scope)
    if b == nil then
      return maal.nodata(string.format(m("ingen baseline-værdi for '%s' i %d", "no baseline value for '%s' in %d"),
        s.name, by), {year = y, actual = v, unit = s.unit})
    end
    local ok, note, cy = ctx.comparable(s, by, y)
    if not ok then
      return maal.nodata(string.format(m("%d og %d kan ikke sammenlignes: området blev ændret i %d (%s)",
        "%d and %d cannot be compared: the area changed in %d (%s)"), by, y, cy, note))
    end
    local unit = s.unit
    if p.per_1000 then
      local pop, popb = ctx.population(y), ctx.population(by)
      if not pop or pop == 0 or not popb or popb == 0 then
        return maal.nodata(string.format(m("intet indbyggertal for %d og %d til at beregne pr. 1000",
          "no population for %d and %d to compute a rate per 1000"), by, y))
      end
      v, b, unit = v / pop * 1000, b / popb * 1000, "per_1000"
    end
    local change = maal.change(v, b)
    return maal.verdict(maal.compare(v, "<=", b), {
      actual = v, baseline = b, baseline_year = by, year = y, op = "<=", change = change,
      unit = unit,
      message = string.format(m("%s: %s i %d mod %s i %d (%s); målet er højst %d-niveau",
        "%s: %s in %d against %s in %d (%s); the goal is at most the %d level"), s.name,
        maal.with_unit(v, unit), y, maal.with_unit(b, unit), by, maal.signed(change), by),
    })
  end,
}
