-- annual_decrease: a value falls every year ("andelen af utrygge skal årligt udvise et fald").
-- Params: series (required); scope (area); alpha (0.05) for the significance test.
-- Compares the latest year <= --year with the year before. With sample sizes for both years
--   a two-proportion z-test says whether the change is significant; otherwise a significance
--   statement from the data, if any.
-- significant_only (false): count only a significant change; a change that is not (or not
--   known to be) significant is then info with that reason. Without it the verdict reads the
--   goal literally, and the significance is shown beside it.
-- Missing data: nodata when the year before is missing or an area change lies between.
return {
  title = {da = "Årligt fald", en = "Annual decrease"},
  description = "value(year) < value(year - 1)",
  params = {
    series = {type = "string", required = true},
    scope = {type = "string", default = "area", enum = {"area", "district", "city"}},
    alpha = {type = "number", default = 0.05},
    significant_only = {type = "boolean", default = false},
  },
  evaluate = function(ctx, p) return maal.std.annual(ctx, p, -1) end,
}
