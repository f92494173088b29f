-- approach_level: "nærme sig Københavnniveau i 2024": the gap area - reference (city) shrinks
-- against the baseline gap, and is closed (<= tolerance) from the target year on.
-- Params: series, target_year (required); scope (area); reference (city);
--   baseline_year (default: the partnership's baseline for the series' kind); tolerance (0).
-- Missing data: nodata when any of the four values is missing (the message names which), the
--   year is not after the baseline, or an area change lies between.
local m = maal.msg
return {
  title = {da = "Nærme sig et referenceniveau", en = "Approach a reference level"},
  description = "gap(year) < gap(baseline); gap(year) <= tolerance from target_year",
  params = {
    series = {type = "string", required = true},
    target_year = {type = "year", required = true},
    scope = {type = "string", default = "area", enum = {"area", "district", "city"}},
    reference = {type = "string", default = "city", enum = {"area", "district", "city"}},
    baseline_year = {type = "year"},
    tolerance = {type = "number", default = 0},
  },
  evaluate = function(ctx, p)
    local s = ctx.series(p.series)
    local y, v = s:latest(ctx.year, p.scope) -- read first: the first source decides (CI annotations)
    local by = p.baseline_year or ctx.baseline(s.kind)
    if not by then
      return maal.nodata(string.format(m("intet baseline-år for '%s'", "no baseline year for '%s'"), s.name))
    end
    if not y or y <= by then
      return maal.nodata(string.format(m("ingen værdi for '%s' efter baseline-året %d (til og med %d)",
        "no value for '%s' after the baseline year %d (up to %d)"), s.name, by, ctx.year))
    end
    if ctx.year >= p.target_year and y < p.target_year then
      return maal.nodata(string.format(m("ingen værdi for '%s' i målåret %d (seneste er %d)",
        "no value for '%s' in the target year %d (the latest is %d)"), s.name, p.target_year, y),
        {year = y, actual = v, unit = s.unit})
    end
    local r, b, rb = s:value(y, p.reference), s:value(by, p.scope), s:value(by, p.reference)
    local missing = {}
    if r == nil then missing[#missing + 1] = p.reference .. " " .. y end
    if b == nil then missing[#missing + 1] = p.scope .. " " .. by end
    if rb == nil then missing[#missing + 1] = p.reference .. " " .. by end
    if #missing > 0 then
      return maal.nodata(string.format(m("'%s' mangler værdier for %s, så afstanden kan ikke beregnes",
        "'%s' lacks values for %s, so the gap cannot be computed"), s.name, table.concat(missing, ", ")),
        {year = y, actual = v, unit = s.unit})
    end
    local ok, note, cy = ctx.comparable(s, by, y)
    if not ok then
      return maal.nodata(string.format(m("%d og %d kan ikke sammenlignes: området blev ændret i %d (%s)",
        "%d and %d cannot be compared: the area changed in %d (%s)"), by, y, cy, note))
    end
    local gap, gap0 = maal.change(v, r), maal.change(b, rb)
    local pp = s.unit == "percent" and m(" pct.-point", " pp") or ""
    local reached = y >= p.target_year
    local pass = reached and maal.compare(gap, "<=", p.tolerance) or (not reached and gap < gap0)
    return maal.verdict(pass, {
      actual = gap, baseline = gap0, baseline_year = by, year = y, change = maal.change(gap, gap0),
      unit = s.unit, op = reached and "<=" or "<", target = reached and p.tolerance or nil,
      message = string.format(m("%s: afstanden til %s er %s%s i %d mod %s%s i %d; målet er %s",
        "%s: the gap to %s is %s%s in %d against %s%s in %d; the goal is %s"), s.name, p.reference,
        maal.signed(gap), pp, y, maal.signed(gap0), pp, by,
        reached and string.format(m("højst %s%s fra %d", "at most %s%s from %d"), maal.fmt(p.tolerance), pp, p.target_year)
                or string.format(m("at den mindskes frem mod %d", "that it shrinks towards %d"), p.target_year)),
    })
  end,
}
