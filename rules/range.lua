-- range: a value lies within min-max ("25-30 kvinder"), optionally by a year.
-- Params: min, max (required); series (+ scope) or activity + criterion; by_year.
-- The result's target and op are the bound the value is held against: min and >= below the
--   range, else max and <=.
-- Missing data: nodata when there is no value up to the year (or for by_year once due).
return {
  title = {da = "Inden for et interval", en = "Within a range"},
  description = "min <= value <= max",
  params = {
    min = {type = "number", required = true}, max = {type = "number", required = true},
    series = {type = "string"}, scope = {type = "string", default = "area", enum = {"area", "district", "city"}},
    activity = {type = "string"}, criterion = {type = "string"}, by_year = {type = "year"},
  },
  evaluate = function(ctx, p)
    if p.min > p.max then
      error(string.format(maal.msg("min (%s) er større end max (%s)", "min (%s) is greater than max (%s)"),
        maal.fmt(p.min), maal.fmt(p.max)))
    end
    local r = maal.std.target_check(ctx, p,
      function(v) return maal.compare(v, ">=", p.min) and maal.compare(v, "<=", p.max) end,
      function(u) return maal.std.want("range", p.min, p.max, u) end, {target = p.max, op = "<="})
    -- the bound the value is held against: below the range the lower one ("24  ≥ 25"), else
    -- the upper ("31  ≤ 30"); the bare maximum read as the target ("24  30")
    if type(r.actual) == "number" and not maal.compare(r.actual, ">=", p.min) then
      r.target, r.op = p.min, ">="
    end
    return r
  end,
}
