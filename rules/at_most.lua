-- at_most: a value stays at or below a target ("højst 15.000 kr. i 2020"), optionally by a year.
-- Params: target (required); series (+ scope) or activity + criterion; by_year.
-- Missing data: nodata when there is no value up to the year (or for by_year once due).
--   Before by_year a target not yet met is info ("not due yet"), never fail.
return {
  title = {da = "Højst et mål", en = "At most a target"},
  description = "value <= target",
  params = {
    target = {type = "number", required = true},
    series = {type = "string"}, scope = {type = "string", default = "area", enum = {"area", "district", "city"}},
    activity = {type = "string"}, criterion = {type = "string"}, by_year = {type = "year"},
  },
  evaluate = function(ctx, p)
    return maal.std.target_check(ctx, p, function(v) return maal.compare(v, "<=", p.target) end,
      function(u) return maal.std.want("<=", p.target, nil, u) end, {target = p.target, op = "<="})
  end,
}
