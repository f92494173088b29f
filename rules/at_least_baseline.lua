-- at_least_baseline: a value stays at least at its baseline year's level ("fastholdes"), or
-- with strict rises above it ("er steget", "en stigning": an unchanged value has not risen).
-- Params: series (required); scope (area); baseline_year (default: the partnership's
--   baseline for the series' kind); per_1000 (derive a rate from a count series and the population);
--   strict (false): value(year) > value(baseline year).
-- Missing data: nodata when there is no value after the baseline, no baseline value, no
--   population (per_1000), or an area change lies between the two years.
return {
  title = {da = "Mindst på baseline-niveau", en = "At least the baseline level"},
  description = "value(year) >= value(baseline year); strict: >",
  params = {
    series = {type = "string", required = true},
    scope = {type = "string", default = "area", enum = {"area", "district", "city"}},
    baseline_year = {type = "year"},
    per_1000 = {type = "boolean", default = false},
    strict = {type = "boolean", default = false},
  },
  evaluate = function(ctx, p) return maal.std.baseline_check(ctx, p, 1) end,
}
