-- sum_at_most_baseline: the total of several count series stays at most at the baseline
-- year's total ("Det samlede antal anmeldelser på de fire gerningstyper [...] skal som minimum
-- fastholdes på 2015-niveau", partnership agreements 2017-2020). The total is derived from
-- the series themselves, so it cannot disagree with them; the 2022 Tingbjerg-Husum report's
-- table 2 total (217 -> 214) is the same sum over the monitored types (use monitor: true).
-- Params: series (required, a list of series ids of one kind and unit); name (the total's
--   name in messages); scope (area); baseline_year (default: the partnership's baseline for
--   the series' kind); monitor (false): with true the verdict is info (monitored, no target).
-- Uses the latest year up to --year in which every series has a value.
-- Missing data: nodata when no year after the baseline has all values, a baseline value is
--   missing, or an area change lies between the two years.
local m = maal.msg
return {
  title = {da = "Summen af flere serier højst på baseline-niveau", en = "Total of several series at most the baseline level"},
  description = "sum(value(year)) <= sum(value(baseline year))",
  params = {
    series = {type = "list", required = true},
    name = {type = "string"},
    scope = {type = "string", default = "area", enum = {"area", "district", "city"}},
    baseline_year = {type = "year"},
    monitor = {type = "boolean", default = false},
  },
  evaluate = function(ctx, p)
    if #p.series == 0 then
      error(m("parameteren 'series' er en tom liste", "parameter 'series' is an empty list"), 0)
    end
    local ss, names = {}, {}
    for i, id in ipairs(p.series) do
      if type(id) ~= "string" then
        error(string.format(m("parameteren 'series' skal være en liste af serie-id'er (punkt %d)",
          "parameter 'series' must be a list of series ids (item %d)"), i), 0)
      end
      local s = ctx.series(id)
      if i > 1 and (s.kind ~= ss[1].kind or s.unit ~= ss[1].unit) then
        error(string.format(m("serien '%s' er %s/%s, men '%s' er %s/%s; de kan ikke lægges sammen",
          "series '%s' is %s/%s but '%s' is %s/%s; they cannot be added up"), s.id, s.kind, s.unit,
          ss[1].id, ss[1].kind, ss[1].unit), 0)
      end
      ss[i], names[i] = s, s.name
    end
    local first = ss[1]
    local label = p.name or table.concat(names, " + ")
    local by = p.baseline_year or ctx.baseline(first.kind)
    if not by then
      return maal.nodata(string.format(m("intet baseline-år for '%s' (sæt baselines.%s eller baseline_year)",
        "no baseline year for '%s' (set baselines.%s or baseline_year)"), label, first.kind))
    end
    -- the latest year <= ctx.year after the baseline in which every series has a value
    local y = ctx.year
    local years = first:years(p.scope)
    local cand
    for i = #years, 1, -1 do
      local yy = years[i]
      if yy <= y and yy > by then
        local all = true
        for _, s in ipairs(ss) do
          if s:value(yy, p.scope) == nil then all = false break end
        end
        if all then cand = yy break end
      end
    end
    if not cand then
      return maal.nodata(string.format(m("ingen år efter baseline-året %d (til og med %d) har værdier for alle af %s",
        "no year after the baseline year %d (up to %d) has values for all of %s"), by, y,
        table.concat(p.series, ", ")))
    end
    local v, b, missing = 0, 0, {}
    for _, s in ipairs(ss) do
      v = v + s:value(cand, p.scope)
      local sb = s:value(by, p.scope)
      if sb == nil then missing[#missing + 1] = s.id else b = b + sb end
    end
    if #missing > 0 then
      return maal.nodata(string.format(m("ingen baseline-værdi i %d for %s", "no baseline value in %d for %s"),
        by, table.concat(missing, ", ")), {year = cand, actual = v, unit = first.unit})
    end
    local ok, note, cy = ctx.comparable(first, by, cand)
    if not ok then
      return maal.nodata(string.format(m("%d og %d kan ikke sammenlignes: området blev ændret i %d (%s)",
        "%d and %d cannot be compared: the area changed in %d (%s)"), by, cand, cy, note))
    end
    local change = maal.change(v, b)
    local t = {
      actual = v, baseline = b, baseline_year = by, year = cand, change = change, unit = first.unit,
    }
    if p.monitor then
      t.message = string.format(m("%s: %s i %d mod %s i %d (%s); monitoreres uden mål",
        "%s: %s in %d against %s in %d (%s); monitored, no target"), label,
        maal.with_unit(v, first.unit), cand, maal.with_unit(b, first.unit), by, maal.signed(change))
      return maal.info(t)
    end
    t.op = "<="
    t.message = string.format(m("%s: %s i %d mod %s i %d (%s); målet er højst %d-niveau",
      "%s: %s in %d against %s in %d (%s); the goal is at most the %d level"), label,
      maal.with_unit(v, first.unit), cand, maal.with_unit(b, first.unit), by, maal.signed(change), by)
    return maal.verdict(maal.compare(v, "<=", b), t)
  end,
}
