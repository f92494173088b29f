-- ---- ctx -----------------------------------------------------------------------------
local SCOPES = {area = true, district = true, city = true}

local function check_scope(scope)
  scope = scope or "area"
  if not SCOPES[scope] then
    error(sfmt(tr("ukendt scope '%s', forventede area, district eller city",
      "unknown scope '%s', expected area, district or city"), tostring(scope)), 3)
  end
  return scope
end

local function check_year(y, name)
  if mtype(y) ~= "integer" and not (type(y) == "number" and y == mfloor(y)) then
    error(sfmt(tr("%s skal være et årstal, fik %s", "%s must be a year, got %s"), name or "year",
      tostring(y)), 3)
  end
  return mfloor(y)
end

-- s.value(2022) for s:value(2022): the year arrives as self. Each method of a view checks
-- its self first and says how to call it (the rest of the method is a tail call, so the
-- levels of its own errors still point at the rule).
local function methods(t, word_da, word_en)
  for k, f in next, t do
    if type(f) == "function" then
      t[k] = function(self, ...)
        if type(self) ~= "table" then
          local arg = self == nil and "" or tostring(self)
          error(sfmt(tr("%s kaldt med '.', forventede ':' (brug %s:%s(%s), ikke %s.%s(%s))",
            "%s called with '.', expected ':' (use %s:%s(%s), not %s.%s(%s))"), k,
            tr(word_da, word_en), k, arg, tr(word_da, word_en), k, arg), 2)
        end
        return f(self, ...)
      end
    end
  end
  return t
end

local function years_of(m)
  local ys = {}
  for y in next, m or {} do ys[#ys + 1] = y end
  tsort(ys)
  return ys
end

local function latest_in(m, maxyear)
  local best
  for y in next, m or {} do
    if y <= maxyear and (not best or y > best) then best = y end
  end
  return best
end

local function make_series(d, data)
  local rec = data.rec
  local what = say("serien '%s'", "series '%s'", d.id)
  local fields = {"id", "name", "kind", "unit", "source", "value", "latest", "years", "sample",
                  "significance", "significance_year"}
  local t = {id = d.id, name = d.name, kind = d.kind, unit = d.unit, source = d.source}
  function t.value(self, year, scope)
    scope = check_scope(scope); year = check_year(year)
    local v = d.values[scope][year]
    if v then rec(d.vb[scope], W_VALUE, year) end
    return v
  end
  function t.latest(self, maxyear, scope)
    scope = check_scope(scope); maxyear = check_year(maxyear or data.year, "maxyear")
    local y = latest_in(d.values[scope], maxyear)
    if not y then return nil end
    rec(d.vb[scope], W_VALUE, y)
    return y, d.values[scope][y]
  end
  function t.years(self, scope)
    return ro_list(years_of(d.values[check_scope(scope)]), what)
  end
  function t.sample(self, year, scope)
    scope = check_scope(scope); year = check_year(year)
    local v = d.samples[scope][year]
    if v then rec(d.sb[scope], W_SAMPLE, year) end
    return v
  end
  function t.significance(self, scope, from, to)
    scope = check_scope(scope)
    for _, g in ipairs(d.sig) do
      if g.scope == scope and g.from == from and g.to == to then
        rec(g.i, g.to and W_SIG_RANGE or W_SIG_YEAR) -- (nil, nil) matches a year's statement
        return g.significant, g.note
      end
    end
    return nil
  end
  function t.significance_year(self, scope, year)
    scope = check_scope(scope)
    for _, g in ipairs(d.sig) do
      if g.scope == scope and g.year == year then
        rec(g.i, g.year and W_SIG_YEAR or W_SIG_RANGE) -- (nil) matches a change's statement
        return g.significant, g.note
      end
    end
    return nil
  end
  return readonly_own(methods(t, "serie", "series"), what, fields)
end

local function make_criterion(d, act_id, data)
  local rec = data.rec
  local what = say("succeskriteriet '%s'", "criterion '%s'", d.id)
  local t = {id = d.id, text = d.text, unit = d.unit, target = d.target, by_year = d.by_year,
             due = d.due, done = d.done}
  local fields = {"id", "text", "unit", "target", "by_year", "due", "done", "value", "latest",
                  "years", "source_due", "source_done"}
  function t.value(self, year)
    year = check_year(year)
    local v = d.values[year]
    if v then rec(d.vb, W_CRIT, year) end
    return v
  end
  function t.latest(self, maxyear)
    maxyear = check_year(maxyear or data.year, "maxyear")
    local y = latest_in(d.values, maxyear)
    if not y then return nil end
    rec(d.vb, W_CRIT, y)
    return y, d.values[y]
  end
  function t.years(self) return ro_list(years_of(d.values), what) end
  if d.due_src then rec(d.due_src.i, W_DUE) end
  if d.done_src then rec(d.done_src.i, W_DONE) end
  return readonly(methods(t, "kriterie", "criterion"), what, fields)
end

local function make_activity(d, data)
  local rec = data.rec
  local what = say("aktiviteten '%s'", "activity '%s'", d.id)
  local fields = {"id", "number", "name", "focus_area", "new", "responsible", "partners",
                  "partner_count", "in_partner_share", "note", "status", "financing",
                  "criterion", "criteria", "line", "start", "end", "runs", "status_for"}
  local t = {id = d.id, number = d.number, name = d.name, focus_area = d.focus_area,
             new = d.new, note = d.note, in_partner_share = d.in_partner_share,
             partner_count = d.partner_count, line = d.l,
             start = d.start and d.start.v, ["end"] = d["end"] and d["end"].v,
             responsible = ro_list(d.responsible, what), partners = ro_list(d.partners, what)}
  -- whether it runs in a year: 'start'/'end' in the data, else the partnership's period (no
  -- plan runs before the agreement or after it); the 'start'/'end' that leaves it out is
  -- recorded as a source
  local period = data.partnership
  function t.runs(self, year)
    year = check_year(year)
    local s, e = d.start, d["end"]
    if s then
      if year < s.v then rec(s.i, W_START) return false end
    elseif year < period.from then
      return false
    end
    if e then
      if year > e.v then rec(e.i, W_END) return false end
    elseif year > period.to then
      return false
    end
    return true
  end
  local SFIELDS = {"year", "as_planned", "concerns", "adjustments", "note", "l", "c"}
  if d.status then
    t.status = readonly(d.status, say("status for '%s'", "status of '%s'", d.id), SFIELDS)
  end
  -- the status of one year, when the data has one a year ('status' as a list), or nil
  function t.status_for(self, year)
    year = check_year(year)
    local st = d.statuses[year]
    if not st then return nil end
    rec(d.sids[year], W_STATUS)
    return readonly(st, say("status for '%s' %d", "status of '%s' %d", d.id, year), SFIELDS)
  end
  function t.financing(self, year)
    year = check_year(year)
    local v = d.financing[year] -- '?': not decided
    if v then rec(d.fb, W_FINANCING, year) end
    return v
  end
  local crit = {}
  local cnames = {}
  for _, c in ipairs(d.criteria) do crit[c.id] = c; cnames[#cnames + 1] = c.id end
  function t.criterion(self, id)
    local c = crit[id]
    if not c then
      local dym = did_you_mean(id, cnames)
      error(sfmt(tr("%s har intet succeskriterie '%s'%s", "%s has no criterion '%s'%s"), what,
        tostring(id), dym and sfmt(tr(" (mente du '%s'?)", " (did you mean '%s'?)"), dym) or ""), 2)
    end
    return make_criterion(c, d.id, data)
  end
  t.criteria = ro_list(cnames, what)
  methods(t, "aktivitet", "activity")
  return readonly(t, what, fields, function(k)
    if k == "partner_count" or k == "partners" or k == "responsible" then
      rec(d.i, W_PARTNERS)
    elseif k == "status" and d.status then
      rec(d.sids[d.status.year], W_STATUS)
    end
  end)
end

function H.make_ctx(data, year, lang)
  LANG = lang
  -- ctx is read-only and keeps no state of its own (sources and log are reset per goal), so
  -- the goals of one partnership share one: it is built once per partnership
  local cached = data[H]
  if cached and cached.year == year and cached.lang == lang then return cached.ctx end
  data.year = year
  local rec = data.rec
  local ctx = {year = year, lang = lang, latest_year = data.latest_year}
  local p = data.partnership
  ctx.partnership = readonly_own({
    id = p.id, name = p.name, area = p.area, district = p.district, source = p.source,
    period = readonly_own({from = p.from, to = p.to}, "period"),
    partners = ro_list(p.partners, "partners"),
    baselines = readonly_own({survey = p.baselines.survey and p.baselines.survey.v,
                          crime = p.baselines.crime and p.baselines.crime.v,
                          other = p.baselines.other and p.baselines.other.v}, "baselines",
                         {"survey", "crime", "other"}),
  }, "partnership", {"id", "name", "area", "district", "source", "period", "partners",
                     "baselines"})
  local snames = {}
  for _, s in ipairs(data.series) do snames[#snames + 1] = s.id end
  local sbyid = {}
  for _, s in ipairs(data.series) do sbyid[s.id] = s end
  -- series and activities are read-only and record their sources when read, not when made:
  -- one proxy each serves every goal of the partnership
  local function made_once(make)
    local made = {}
    return function(d)
      local proxy = made[d]
      if not proxy then
        proxy = make(d, data)
        made[d] = proxy
      end
      return proxy
    end
  end
  local series_of, activity_of = made_once(make_series), made_once(make_activity)
  function ctx.series(id)
    local d = sbyid[id]
    if not d then
      local dym = did_you_mean(id, snames)
      error(sfmt(tr("ukendt serie '%s'%s", "unknown series '%s'%s"), tostring(id),
        dym and sfmt(tr(" (mente du '%s'?)", " (did you mean '%s'?)"), dym) or ""), 2)
    end
    return series_of(d)
  end
  function ctx.has_series(id) return sbyid[id] ~= nil end
  function ctx.baseline(kind)
    local e = p.baselines[kind]
    if e then rec(e.i, W_BASELINE) return e.v end
    return nil
  end
  function ctx.population(y)
    y = check_year(y)
    local v = p.population[y]
    if v then rec(p.popb, W_POPULATION, y) end
    return v
  end
  function ctx.budget(y)
    y = check_year(y)
    local v = p.budget[y]
    if v then rec(p.budb, W_BUDGET, y) end
    return v
  end
  -- Whether values of a series kind can be compared between two years; false + the note
  -- of the area change in between when not. An area change moves the partnership's own
  -- area: with 'scope' "city" or "district" the values are the city's or the district's,
  -- which it does not change, so they stay comparable.
  function ctx.comparable(kind, y1, y2, scope)
    if type(kind) == "table" then kind = kind.kind end
    y1, y2 = check_year(y1), check_year(y2)
    if check_scope(scope) ~= "area" then return true end
    if y1 > y2 then y1, y2 = y2, y1 end
    for _, c in ipairs(p.changes) do
      if c.affects[kind] and y1 < c.year and c.year <= y2 then
        rec(c.i, W_CHANGE)
        return false, c.note or "", c.year
      end
    end
    return true
  end
  local anames, abyid = {}, {}
  for _, a in ipairs(data.activities) do anames[#anames + 1] = a.id; abyid[a.id] = a end
  function ctx.activity(id)
    local d = abyid[id]
    if not d then
      local dym = did_you_mean(id, anames)
      error(sfmt(tr("ukendt aktivitet '%s'%s", "unknown activity '%s'%s"), tostring(id),
        dym and sfmt(tr(" (mente du '%s'?)", " (did you mean '%s'?)"), dym) or ""), 2)
    end
    return activity_of(d)
  end
  local AFILTER = {id = true, number = true, name = true, focus_area = true, new = true,
                   in_partner_share = true, partner_count = true}
  -- The filter is the rule's table: it is read once with next (no __pairs) into a plain
  -- copy of text, number and boolean values, and compared with rawequal (no __eq), so none of
  -- its metamethods runs while an activity's own tables are in reach.
  function ctx.activities(filter)
    local f = {}
    if filter ~= nil and type(filter) ~= "table" then
      error(sfmt(tr("filteret for ctx.activities skal være en tabel, fik %s",
        "the filter of ctx.activities must be a table, got %s"), type(filter)), 2)
    end
    for k, v in next, filter or f do
      if type(k) ~= "string" or not AFILTER[k] then
        local names = sorted_keys(AFILTER)
        unknown(tr("filteret for ctx.activities", "the filter of ctx.activities"), k, names)
      end
      local tv = type(v)
      if tv ~= "string" and tv ~= "number" and tv ~= "boolean" then
        error(sfmt(tr("filteret for ctx.activities: '%s' skal være tekst, et tal eller en "
          .. "sandhedsværdi, fik %s", "the filter of ctx.activities: '%s' must be text, a number "
          .. "or a boolean, got %s"), k, tv), 2)
      end
      f[k] = v
    end
    local out = {}
    for _, d in ipairs(data.activities) do
      local ok = true
      for k, v in next, f do
        if not rawequal(d[k], v) then ok = false break end
      end
      if ok then out[#out + 1] = activity_of(d) end
    end
    return readonly(out, "activities", {})
  end
  local proxy = readonly_own(ctx, "ctx", {"year", "lang", "latest_year", "partnership", "series",
    "has_series", "baseline", "population", "budget", "comparable", "activity", "activities"})
  data[H] = {year = year, lang = lang, ctx = proxy}
  return proxy
end

