-- within_district: the area's value is at most the district's (bydelens) plus a tolerance.
-- The status reports compare each partnership area with its district and the whole city every
-- year ("Andelen af utrygge [...] er i 2022 over gennemsnittet, både for bydelen (19 %) og hele
-- byen (9 %). Forskellen [...] er ikke signifikant for bydelen og området"); this rule makes the
-- district comparison a goal of its own.
-- Params: series (required); tolerance (0, in the series' unit: percentage points for a
--   percent series); reference (district; or city); significant_only (false): with true, an
--   excess the data states as not significant (significance: {scope: district, year: Y,
--   significant: false}) does not fail the goal.
-- Compares the area's latest value up to --year with the reference's value in the same year.
-- Missing data: nodata when the area has no value up to the year or the reference has none in
--   that year.
local m = maal.msg
return {
  title = {da = "Højst på bydelens niveau", en = "At most the district's level"},
  description = "value(area, year) <= value(district, year) + tolerance",
  params = {
    series = {type = "string", required = true},
    tolerance = {type = "number", default = 0},
    reference = {type = "string", default = "district", enum = {"district", "city"}},
    significant_only = {type = "boolean", default = false},
  },
  evaluate = function(ctx, p)
    local s = ctx.series(p.series)
    local y, v = s:latest(ctx.year, "area") -- read first: the first source decides
    if not y then
      return maal.nodata(string.format(m("ingen værdi for '%s' i området til og med %d",
        "no value for '%s' in the area up to %d"), s.name, ctx.year))
    end
    local where = p.reference == "city" and m("hele byen", "the whole city") or m("bydelen", "the district")
    local r = s:value(y, p.reference)
    if r == nil then
      return maal.nodata(string.format(m("ingen værdi for '%s' for %s i %d at sammenligne området med",
        "no value for '%s' for %s in %d to compare the area with"), s.name, where, y),
        {year = y, actual = v, unit = s.unit})
    end
    if p.tolerance < 0 then
      error(m("parameteren 'tolerance' må ikke være negativ", "parameter 'tolerance' must not be negative"), 0)
    end
    local limit = r + p.tolerance
    local gap = maal.change(v, r)
    local ok = maal.compare(v, "<=", limit)
    local stated, note = s:significance_year(p.reference, y)
    local sig
    if stated == true then
      sig = m("forskellen er signifikant ifølge rapporten", "the difference is significant according to the report")
    elseif stated == false then
      sig = m("forskellen er ikke signifikant ifølge rapporten", "the difference is not significant according to the report")
    else
      sig = m("signifikans er ikke oplyst", "significance not stated")
    end
    if note then sig = sig .. " (" .. note .. ")" end
    local pp = s.unit == "percent" and m(" pct.-point", " pp") or ""
    local level = p.reference == "city" and m("hele byens niveau", "the whole city's level")
      or m("bydelens niveau", "the district's level")
    local want = p.tolerance > 0
      and string.format(m("højst %s + %s%s", "at most %s + %s%s"), level, maal.fmt(p.tolerance), pp)
      or string.format(m("højst %s", "at most %s"), level)
    local msg = string.format(m("%s: %s i området mod %s i %s i %d (%s%s); målet er %s",
      "%s: %s in the area against %s in %s in %d (%s%s); the goal is %s"), s.name,
      maal.with_unit(v, s.unit), maal.with_unit(r, s.unit), where, y, maal.signed(gap), pp, want)
    if not ok and p.significant_only and stated == false then
      ok = true
      msg = msg .. m("; over, men forskellen er ikke signifikant", "; above, but the difference is not significant")
    end
    return maal.verdict(ok, {
      actual = v, target = limit, op = "<=", year = y, unit = s.unit, significance = sig,
      message = msg,
    })
  end,
}
