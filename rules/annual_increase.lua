-- annual_increase: a value rises every year (e.g. a share who feel safe).
-- Params: series (required); scope (area); alpha (0.05) for the significance test.
-- Compares the latest year <= --year with the year before (see annual_decrease).
-- Missing data: nodata when the year before is missing or an area change lies between.
return {
  title = {da = "Årlig stigning", en = "Annual increase"},
  description = "value(year) > value(year - 1)",
  params = {
    series = {type = "string", required = true},
    scope = {type = "string", default = "area", enum = {"area", "district", "city"}},
    alpha = {type = "number", default = 0.05},
  },
  evaluate = function(ctx, p) return maal.annual(ctx, p, 1) end,
}
