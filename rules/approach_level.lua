-- approach_level: "nærme sig Københavnniveau i 2024": the gap area - reference (city) shrinks
-- against the baseline gap. "Nærme sig" is not "nå": the gap need not close, in the target
-- year or before it. Before the target year a smaller gap means "on track".
-- The gap shrinks towards the reference from the side the area starts on: a baseline gap of
--   +10 shrinks when the gap is below 10, a baseline gap of -10 when it is above -10.
-- Params: series, target_year (required); scope (area); reference (city);
--   baseline_year (default: the partnership's baseline for the series' kind);
--   close (false): for a goal that says "nå"/"samme niveau som": from the target year on the
--   gap must be closed, at most 'tolerance' (0) on the starting side.
-- The result's actual, baseline and target are gaps: for a percent series in pp (pct.-point).
-- Missing data: nodata when any of the four values is missing (the message names which), the
--   year is not after the baseline, or an area change lies between.
local m = maal.msg
local say = maal.std.say
return {
  title = {da = "Nærme sig et referenceniveau", en = "Approach a reference level"},
  description = "gap(year) closer to 0 than gap(baseline); with close: |gap| <= tolerance from target_year",
  params = {
    series = {type = "string", required = true},
    target_year = {type = "year", required = true},
    scope = {type = "string", default = "area", enum = {"area", "district", "city"}},
    reference = {type = "string", default = "city", enum = {"area", "district", "city"}},
    baseline_year = {type = "year"},
    close = {type = "boolean", default = false},
    tolerance = {type = "number", default = 0},
  },
  evaluate = function(ctx, p)
    local s = ctx.series(p.series)
    local y, v = s:latest(ctx.year, p.scope) -- read first: the first source decides (CI annotations)
    local by = p.baseline_year or ctx.baseline(s.kind)
    if not by then
      return maal.nodata(say("intet baseline-år for '%s'", "no baseline year for '%s'", s.name))
    end
    if not y or y <= by then
      return maal.nodata(say("ingen værdi for '%s' efter baseline-året %d (til og med %d)",
        "no value for '%s' after the baseline year %d (up to %d)", s.name, by, ctx.year))
    end
    if ctx.year >= p.target_year and y < p.target_year then
      return maal.nodata(say("ingen værdi for '%s' i målåret %d (seneste er %d)",
        "no value for '%s' in the target year %d (the latest is %d)", s.name, p.target_year, y),
        {year = y, actual = v, unit = s.unit})
    end
    local r, b, rb = s:value(y, p.reference), s:value(by, p.scope), s:value(by, p.reference)
    local missing = {}
    local function need(x, scope, year)
      if x == nil then missing[#missing + 1] = maal.scope_name(scope) .. " " .. year end
    end
    need(r, p.reference, y); need(b, p.scope, by); need(rb, p.reference, by)
    if #missing > 0 then
      return maal.nodata(say("'%s' mangler værdier for %s, så afstanden kan ikke beregnes",
        "'%s' lacks values for %s, so the gap cannot be computed", s.name, table.concat(missing, ", ")),
        {year = y, actual = v, unit = s.unit})
    end
    local ok, note, cy = ctx.comparable(s, by, y)
    if not ok then
      return maal.nodata(say("%d og %d kan ikke sammenlignes: området blev ændret i %d (%s)",
        "%d and %d cannot be compared: the area changed in %d (%s)", by, y, cy, note))
    end
    local gap, gap0 = maal.change(v, r), maal.change(b, rb)
    -- the side the area starts on: +1 above the reference, -1 below; at the level, above
    local side = gap0 < 0 and -1 or 1
    local pp = s.unit == "percent" and m(" pct.-point", " pp") or ""
    local ref = maal.scope_name(p.reference)
    local reached = y >= p.target_year
    local pass, op, target, goal
    if p.close and reached then
      -- "nå": closed, at most 'tolerance' left on the starting side
      pass = maal.compare(side * gap, "<=", p.tolerance)
      op, target = side > 0 and "<=" or ">=", side * p.tolerance + 0 -- no -0 in reports
      goal = say("at den er lukket (højst %s%s) fra %d", "that it is closed (at most %s%s) from %d",
        maal.fmt(p.tolerance), pp, p.target_year)
    else
      pass = side * gap < side * gap0 - 1e-9
      op, target = side > 0 and "<" or ">", gap0
      if reached then
        goal = say("at den er mindsket i %d", "that it has shrunk in %d", p.target_year)
      else
        goal = say("at den mindskes frem mod %d: %s", "that it shrinks towards %d: %s",
          p.target_year, pass and m("på vej", "on track") or m("ikke på vej", "not on track"))
      end
    end
    -- the gaps are differences of two values: of two shares, percentage points, not percent
    return maal.verdict(pass, {
      actual = gap, baseline = gap0, baseline_year = by, year = y, change = maal.change(gap, gap0),
      unit = s.unit == "percent" and "pp" or s.unit, op = op, target = target,
      message = say("%s: afstanden til %s er %s i %d mod %s i %d; målet er %s",
        "%s: the gap to %s is %s in %d against %s in %d; the goal is %s", s.name, ref,
        maal.signed(gap) .. pp, y, maal.signed(gap0) .. pp, by, goal),
    })
  end,
}
