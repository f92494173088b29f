-- prelude: runs first in every rule's Lua state. It builds the read-only 'ctx' a rule sees,
-- the 'maal' helper library, and the guarded base functions; the host keeps the returned
-- table H in the registry and the rule never sees it.
local C = ...   -- C helpers from the host: fmt(number, decimals, lang), timed_out, has_meta,
                -- year_min and year_max (MAAL_YEAR_MIN/MAX of include/maal.h)

local type, pairs, ipairs, next, error, tostring, tonumber, select, pcall =
      type, pairs, ipairs, next, error, tostring, tonumber, select, pcall
local rawget, rawset, rawequal, rawlen, setmetatable, getmetatable =
      rawget, rawset, rawequal, rawlen, setmetatable, getmetatable
local sfmt, sfind, smatch, sgmatch, sgsub, ssub, srep, slen, sbyte =
      string.format, string.find, string.match, string.gmatch, string.gsub, string.sub,
      string.rep, string.len, string.byte
local tconcat, tsort, tinsert = table.concat, table.sort, table.insert
local mfloor, mabs, msqrt, mexp, mhuge, mtype = math.floor, math.abs, math.sqrt, math.exp,
      math.huge, math.type

local H = {}
local LANG = "da"
local ro = setmetatable({}, {__mode = "k"})   -- the read-only proxies handed to rules (below)
local sources, nsources, seen_source = {}, 0, {}
local logbuf, loglen, MAXLOG = {}, 0, 8192
local MAXSOURCES = 200

local function tr(da, en) if LANG == "en" then return en end return da end

-- ---- did you mean -------------------------------------------------------------------
local function distance(a, b)
  if #a > 64 or #b > 64 then return 99 end
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = {[0] = i}
    local ai = sbyte(a, i)
    for j = 1, #b do
      local cost = (ai == sbyte(b, j)) and 0 or 1
      local x, y, z = prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost
      cur[j] = (x < y and (x < z and x or z)) or (y < z and y or z)
    end
    prev = cur
  end
  return prev[#b]
end

local function did_you_mean(s, names)
  if type(s) ~= "string" then return nil end
  local best, bestd = nil, (#s <= 3 and 1) or (#s <= 8 and 2) or 3
  bestd = bestd + 1
  for _, n in ipairs(names) do
    local d = distance(s, n)
    if d < bestd then best, bestd = n, d end
  end
  return best
end

local function sorted_keys(t)
  local ks = {}
  for k in next, t do if type(k) == "string" then ks[#ks + 1] = k end end
  tsort(ks)
  return ks
end

local function unknown(what, k, names)
  local dym = did_you_mean(k, names)
  if dym then
    error(sfmt(tr("%s har intet felt '%s' (mente du '%s'?)", "%s has no field '%s' (did you mean '%s'?)"),
      what, tostring(k), dym), 3)
  end
  error(sfmt(tr("%s har intet felt '%s'; felterne er %s", "%s has no field '%s'; its fields are %s"),
    what, tostring(k), tconcat(names, ", ")), 3)
end

-- What each proxy stands for: ro[proxy] = {t = the table behind it, what = its name in
-- messages, fields = the fields a reader may ask for and get nil (else t's own keys, never
-- nil), on_read = called with each key read}. One metatable serves every proxy, so making a
-- proxy costs two tables and no closures.
local function ro_index(proxy, k)
  local i = ro[proxy]
  if i.on_read then i.on_read(k) end
  local t = i.t
  local v = t[k]
  if v ~= nil or type(k) == "number" then return v end
  local fields = i.fields
  if fields then
    for n = 1, #fields do if fields[n] == k then return nil end end
  end
  -- the sorted names for the error message are only made when there is an error
  unknown(i.what, k, fields or sorted_keys(t))
end
local RO_MT = {
  __index = ro_index,
  __newindex = function(proxy)
    error(sfmt(tr("%s kan kun læses", "%s is read-only"), ro[proxy].what), 2)
  end,
  -- an iterator that never hands out 't' itself: pairs(ctx) must not be a way in
  __pairs = function(proxy)
    local t, k = ro[proxy].t, nil
    return function()
      local v
      k, v = next(t, k)
      return k, v
    end
  end,
  __len = function(proxy) return #ro[proxy].t end,
  __metatable = false,
}

-- A read-only view of 't'. 'fields' lists every field that may be read (absent ones give
-- nil); anything else is an error with a suggestion, so a typo never reads as "no data".
local function readonly(t, what, fields, on_read)
  local proxy = setmetatable({}, RO_MT)
  ro[proxy] = {t = t, what = what, fields = fields, on_read = on_read}
  return proxy
end

local function ro_list(t, what)
  local copy = {}
  for i, v in ipairs(t or {}) do copy[i] = v end
  return readonly(copy, what, {})
end

-- ---- sources -------------------------------------------------------------------------
-- record(e, what, ...): 'what' is a format for the arguments after it, formatted only for a
-- source not recorded before in this goal
local function record(e, what, ...)
  if not e or not e.l then return end
  -- line and column are integers (the host's set_int); a CSV table's cell (e.f: its file)
  -- is its own key
  local key = e.f and e or (e.l << 32) | e.c
  if seen_source[key] or nsources >= MAXSOURCES then return end
  seen_source[key] = true
  nsources = nsources + 1
  if select("#", ...) > 0 then what = sfmt(what, ...) end
  if e.w then what = what .. " (" .. e.w .. ")" end
  sources[nsources] = {line = e.l, col = e.c, what = what, file = e.f}
end

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
  local S = {}
  local what = sfmt(tr("serien '%s'", "series '%s'"), d.id)
  local fields = {"id", "name", "kind", "unit", "source", "value", "latest", "years", "sample",
                  "significance", "significance_year"}
  local t = {id = d.id, name = d.name, kind = d.kind, unit = d.unit, source = d.source}
  function t.value(self, year, scope)
    scope = check_scope(scope); year = check_year(year)
    local e = d.values[scope] and d.values[scope][year]
    if e then record(e, "%s %s %d", d.id, scope, year) return e.v end
    return nil
  end
  function t.latest(self, maxyear, scope)
    scope = check_scope(scope); maxyear = check_year(maxyear or data.year, "maxyear")
    local y = latest_in(d.values[scope], maxyear)
    if not y then return nil end
    local e = d.values[scope][y]
    record(e, "%s %s %d", d.id, scope, y)
    return y, e.v
  end
  function t.years(self, scope)
    return ro_list(years_of(d.values[check_scope(scope)]), what)
  end
  function t.sample(self, year, scope)
    scope = check_scope(scope); year = check_year(year)
    local e = d.samples[scope] and d.samples[scope][year]
    if e then record(e, "%s n %s %d", d.id, scope, year) return e.v end
    return nil
  end
  function t.significance(self, scope, from, to)
    scope = check_scope(scope)
    for _, g in ipairs(d.sig) do
      if g.scope == scope and g.from == from and g.to == to then
        record(g, "%s significance %s %d-%d", d.id, scope, from, to)
        return g.significant, g.note
      end
    end
    return nil
  end
  function t.significance_year(self, scope, year)
    scope = check_scope(scope)
    for _, g in ipairs(d.sig) do
      if g.scope == scope and g.year == year then
        record(g, "%s significance %s %d", d.id, scope, year)
        return g.significant, g.note
      end
    end
    return nil
  end
  return readonly(methods(t, "serie", "series"), what, fields)
end

local function make_criterion(d, act_id, data)
  local what = sfmt(tr("succeskriteriet '%s'", "criterion '%s'"), d.id)
  local t = {id = d.id, text = d.text, unit = d.unit, target = d.target, by_year = d.by_year,
             due = d.due, done = d.done}
  local fields = {"id", "text", "unit", "target", "by_year", "due", "done", "value", "latest",
                  "years", "source_due", "source_done"}
  function t.value(self, year)
    year = check_year(year)
    local e = d.values[year]
    if e then record(e, "%s.%s %d", act_id, d.id, year) return e.v end
    return nil
  end
  function t.latest(self, maxyear)
    maxyear = check_year(maxyear or data.year, "maxyear")
    local y = latest_in(d.values, maxyear)
    if not y then return nil end
    record(d.values[y], "%s.%s %d", act_id, d.id, y)
    return y, d.values[y].v
  end
  function t.years(self) return ro_list(years_of(d.values), what) end
  if d.target_src then record(d.target_src, "%s.%s target", act_id, d.id) end
  if d.due_src then record(d.due_src, "%s.%s due", act_id, d.id) end
  if d.done_src then record(d.done_src, "%s.%s done", act_id, d.id) end
  return readonly(methods(t, "kriterie", "criterion"), what, fields)
end

local function make_activity(d, data)
  local what = sfmt(tr("aktiviteten '%s'", "activity '%s'"), d.id)
  local fields = {"id", "number", "name", "focus_area", "new", "responsible", "partners",
                  "partner_count", "in_partner_share", "note", "status", "financing",
                  "criterion", "criteria", "line", "start", "end", "runs", "status_for"}
  local t = {id = d.id, number = d.number, name = d.name, focus_area = d.focus_area,
             new = d.new, note = d.note, in_partner_share = d.in_partner_share,
             partner_count = d.partner_count, line = d.l,
             start = d.start and d.start.v, ["end"] = d["end"] and d["end"].v,
             responsible = ro_list(d.responsible, what), partners = ro_list(d.partners, what)}
  -- whether it runs in a year: 'start'/'end' in the data, else the partnership's period; the
  -- year that leaves it out is recorded as a source
  function t.runs(self, year)
    year = check_year(year)
    local s, e = d.start, d["end"]
    if s and year < s.v then record(s, "%s start %d", d.id, s.v) return false end
    if e and year > e.v then record(e, "%s end %d", d.id, e.v) return false end
    return true
  end
  local SFIELDS = {"year", "as_planned", "concerns", "adjustments", "note", "l", "c"}
  if d.status then
    t.status = readonly(d.status, sfmt(tr("status for '%s'", "status of '%s'"), d.id), SFIELDS)
  end
  -- the status of one year, when the data has one a year ('status' as a list), or nil
  function t.status_for(self, year)
    year = check_year(year)
    local st = d.statuses[year]
    if not st then return nil end
    record(st, "%s status", d.id)
    return readonly(st, sfmt(tr("status for '%s' %d", "status of '%s' %d"), d.id, year), SFIELDS)
  end
  function t.financing(self, year)
    year = check_year(year)
    local e = d.financing[year]
    if not e then return nil end
    record(e, "%s financing %d", d.id, year)
    if e.u then return "?" end
    return e.v
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
      record(d, "%s partners", d.id)
    elseif k == "status" and d.status then
      record(d.status, "%s status", d.id)
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
  local ctx = {year = year, lang = lang, latest_year = data.latest_year}
  local p = data.partnership
  ctx.partnership = readonly({
    id = p.id, name = p.name, area = p.area, district = p.district, source = p.source,
    period = readonly({from = p.from, to = p.to}, "period"),
    partners = ro_list(p.partners, "partners"),
    baselines = readonly({survey = p.baselines.survey and p.baselines.survey.v,
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
    if e then record(e, "baselines." .. kind) return e.v end
    return nil
  end
  function ctx.population(y)
    local e = p.population[check_year(y)]
    if e then record(e, "population %d", y) return e.v end
    return nil
  end
  function ctx.budget(y)
    local e = p.budget[check_year(y)]
    if e then record(e, "budget %d", y) return e.v end
    return nil
  end
  -- Whether values of a series kind can be compared between two years; false + the note
  -- of the area change in between when not.
  function ctx.comparable(kind, y1, y2)
    if type(kind) == "table" then kind = kind.kind end
    y1, y2 = check_year(y1), check_year(y2)
    if y1 > y2 then y1, y2 = y2, y1 end
    for _, c in ipairs(p.changes) do
      if c.affects[kind] and y1 < c.year and c.year <= y2 then
        record(c, "area change %d", c.year)
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
  local proxy = readonly(ctx, "ctx", {"year", "lang", "latest_year", "partnership", "series",
    "has_series", "baseline", "population", "budget", "comparable", "activity", "activities"})
  data[H] = {year = year, lang = lang, ctx = proxy}
  return proxy
end

-- ---- the maal helper library ----------------------------------------------------------
local maal = {}

function maal.fmt(x, decimals)
  if type(x) ~= "number" then return tostring(x) end
  return C.fmt(x, decimals or -1, LANG)
end

function maal.msg(da, en) if LANG == "en" then return en or da end return da end

-- A signed change a - b, rounded so 18.7 - 24.8 is -6.1 and not -6.1000000000000014.
function maal.change(a, b)
  if type(a) ~= "number" or type(b) ~= "number" then return nil end
  local d = a - b
  return mfloor(d * 1e9 + 0.5) / 1e9
end

function maal.signed(x, decimals)
  if type(x) ~= "number" then return tostring(x) end
  if x > 0 then return "+" .. maal.fmt(x, decimals) end
  if x < 0 then return "−" .. maal.fmt(-x, decimals) end
  return maal.fmt(0, decimals)
end

local OPS = {
  ["<="] = function(a, b) return a <= b end, ["<"] = function(a, b) return a < b end,
  [">="] = function(a, b) return a >= b end, [">"] = function(a, b) return a > b end,
  ["=="] = function(a, b) return mabs(a - b) < 1e-9 end,
}
function maal.compare(a, op, b)
  local f = OPS[op]
  if not f then error(sfmt("maal.compare: unknown operator '%s'", tostring(op)), 2) end
  if op == "<=" then return a <= b + 1e-9 end
  if op == ">=" then return a >= b - 1e-9 end
  return f(a, b)
end

-- pp: percentage points, the unit of a difference of two shares ("+5 pct.-point", not "5 %")
local UNIT = {
  da = {percent = "%", per_1000 = "pr. 1000 indb.", count = "", kr = "kr.", number = "",
        pp = "pct.-point"},
  en = {percent = "%", per_1000 = "per 1000 inh.", count = "", kr = "DKK", number = "",
        pp = "percentage points"},
}
local UNITS = "count, per_1000, percent, pp, kr, number"
function maal.with_unit(x, unit, decimals)
  local u = (UNIT[LANG] or UNIT.da)[unit or "number"]
  if not u then
    error(sfmt(tr("ukendt enhed '%s', forventede en af %s", "unknown unit '%s', expected one of %s"),
      tostring(unit), UNITS), 2)
  end
  local s = maal.fmt(x, decimals)
  if u == "" then return s end
  return s .. " " .. u
end

-- Standard normal upper tail, for the two-proportion test (Abramowitz-Stegun 7.1.26).
local function normal_sf(z)
  local t = 1 / (1 + 0.3275911 * mabs(z) / msqrt(2))
  local y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
    + 0.254829592) * t * mexp(-(z * z) / 2)
  local cdf = 0.5 * (1 + y)
  if z < 0 then cdf = 1 - cdf end
  return 1 - cdf
end

-- Two-proportion z-test; p1, p2 in percent, n1, n2 respondents. Returns z and the
-- two-sided p-value, or nil when it cannot be computed.
function maal.ztest(p1, n1, p2, n2)
  if not (p1 and n1 and p2 and n2) or n1 <= 0 or n2 <= 0 then return nil end
  local a, b = p1 / 100, p2 / 100
  local pooled = (a * n1 + b * n2) / (n1 + n2)
  local se = msqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
  if se == 0 then return nil end
  local z = (b - a) / se
  return z, 2 * normal_sf(mabs(z))
end

-- A scope's name in the report language, for messages ("hele byen", not "city").
local SCOPE_NAME = {
  da = {area = "området", district = "bydelen", city = "hele byen"},
  en = {area = "the area", district = "the district", city = "the city"},
}
function maal.scope_name(scope)
  return (SCOPE_NAME[LANG] or SCOPE_NAME.da)[check_scope(scope)]
end

-- A result without 'message': one written from what it holds, in the report language.
local OPTEXT = {
  da = {["<="] = "højst", ["<"] = "under", [">="] = "mindst", [">"] = "over", ["=="] = "lig med"},
  en = {["<="] = "at most", ["<"] = "below", [">="] = "at least", [">"] = "above",
        ["=="] = "equal to"},
}
function H.default_message(r, lang)
  LANG = lang or LANG
  local unit = rawget(r, "unit")
  if unit ~= nil and not (UNIT[LANG] or UNIT.da)[unit] then unit = nil end
  local function v(x) return maal.with_unit(x, unit) end
  local actual, target, baseline = rawget(r, "actual"), rawget(r, "target"), rawget(r, "baseline")
  local year, by, op, change = rawget(r, "year"), rawget(r, "baseline_year"), rawget(r, "op"),
    rawget(r, "change")
  local parts = {}
  if type(actual) == "number" then
    parts[#parts + 1] = type(year) == "number" and sfmt(tr("%s i %d", "%s in %d"), v(actual), year)
      or v(actual)
  end
  local word = op and (OPTEXT[LANG] or OPTEXT.da)[op]
  if type(target) == "number" then
    parts[#parts + 1] = sfmt(tr("målet er %s%s", "the target is %s%s"), word and word .. " " or "",
      v(target))
  elseif type(baseline) == "number" then
    parts[#parts + 1] = sfmt(tr("mod %s%s", "against %s%s"), v(baseline),
      type(by) == "number" and sfmt(tr(" i %d", " in %d"), by) or "")
    if word then
      parts[#parts + 1] = type(by) == "number" and
        sfmt(tr("målet er %s %d-niveau", "the goal is %s the %d level"), word, by) or
        sfmt(tr("målet er %s det", "the goal is %s it"), word)
    end
  end
  if type(change) == "number" then
    local u = (unit == "percent" or unit == "pp") and "pp" or unit
    local us = u and (UNIT[LANG] or UNIT.da)[u] or ""
    parts[#parts + 1] = sfmt(tr("ændring %s", "change %s"),
      maal.signed(change) .. (us ~= "" and " " .. us or ""))
  end
  if #parts == 0 then return tr("(reglen gav ingen forklaring)", "(the rule gave no explanation)") end
  return tconcat(parts, "; ")
end

function maal.pass(t) t = t or {}; t.verdict = "pass"; return t end
function maal.fail(t) t = t or {}; t.verdict = "fail"; return t end
function maal.info(t) t = t or {}; t.verdict = "info"; return t end
function maal.nodata(message, t) t = t or {}; t.verdict = "nodata"; t.message = message; return t end
function maal.verdict(ok, t) t = t or {}; t.verdict = ok and "pass" or "fail"; return t end

maal.tr = maal.msg


-- ---- shared building blocks of the standard rules ---------------------------------------
local function m2(da, en) return maal.msg(da, en) end

-- What a goal measures: a series (+scope) or an activity's success criterion. Returns an
-- object with label, unit, latest(maxyear) and value(year).
function maal.subject(ctx, p)
  if p.series then
    local s = ctx.series(p.series)
    local scope = p.scope or "area"
    return {
      label = s.name, unit = s.unit, kind = s.kind, series = s,
      latest = function(maxyear) return s:latest(maxyear, scope) end,
      value = function(year) return s:value(year, scope) end,
    }
  elseif p.activity then
    local a = ctx.activity(p.activity)
    if not p.criterion then
      error(m2("parameteren 'criterion' mangler (kræves sammen med 'activity')",
        "parameter 'criterion' is missing (required with 'activity')"), 0)
    end
    local c = a:criterion(p.criterion)
    return {
      label = c.text or c.id, unit = c.unit or "number", kind = "other",
      latest = function(maxyear) return c:latest(maxyear) end,
      value = function(year) return c:value(year) end,
    }
  end
  error(m2("målet skal angive enten 'series' eller 'activity' og 'criterion'",
    "the goal must give either 'series' or 'activity' and 'criterion'"), 0)
end

local OPWORD = {
  da = {["<="] = "højst", [">="] = "mindst", ["<"] = "under", [">"] = "over"},
  en = {["<="] = "at most", [">="] = "at least", ["<"] = "below", [">"] = "above"},
}
function maal.opword(op) return (OPWORD[LANG] or OPWORD.da)[op] or op end

-- value op target, optionally by a year: the common core of at_least, at_most and range.
-- 'test(v)' decides; 'want' words the target for messages.
function maal.target_check(ctx, p, test, want, extra)
  local subj = maal.subject(ctx, p)
  local u = subj.unit
  local y, v
  local due = p.by_year and p.by_year <= ctx.year
  if due then
    y, v = p.by_year, subj.value(p.by_year)
    if v == nil then
      return maal.nodata(sfmt(m2("ingen værdi for %s i %d, hvor målet skulle være nået",
        "no value for %s in %d, when the goal was due"), subj.label, p.by_year))
    end
  else
    y, v = subj.latest(ctx.year)
    if not y then
      return maal.nodata(sfmt(m2("ingen værdi for %s til og med %d", "no value for %s up to %d"),
        subj.label, ctx.year))
    end
  end
  local t = extra or {}
  t.actual, t.year, t.unit = v, y, u
  local ok = test(v)
  local base = sfmt(m2("%s: %s i %d; målet er %s", "%s: %s in %d; the goal is %s"), subj.label,
    maal.with_unit(v, u), y, want)
  if p.by_year and not due then
    if ok then
      t.message = base .. sfmt(m2(" senest %d, og det er allerede nået", " by %d, and it is met already"), p.by_year)
      return maal.pass(t)
    end
    t.message = base .. sfmt(m2(" senest %d; endnu ikke nået, men først krævet i %d",
      " by %d; not met yet, but only due in %d"), p.by_year, p.by_year)
    return maal.info(t)
  end
  t.message = base .. (p.by_year and sfmt(m2(" senest %d", " by %d"), p.by_year) or "")
  return maal.verdict(ok, t)
end

-- value(year) against value(baseline year), for at_most_baseline (dir = -1) and
-- at_least_baseline (dir = 1). Without p.strict the baseline level itself meets the goal
-- ("fastholdes mindst på 2020-niveau": <=); with p.strict an unchanged value does not ("er
-- faldet", "et fald", "er steget", "en stigning": <, >).
local BASEWORD = {
  [-1] = {[false] = {"højst %d-niveau", "at most the %d level"},
          [true] = {"et fald fra %d-niveau", "a decrease from the %d level"}},
  [1] = {[false] = {"mindst %d-niveau", "at least the %d level"},
         [true] = {"en stigning fra %d-niveau", "an increase from the %d level"}},
}
function maal.baseline_check(ctx, p, dir)
  local s = ctx.series(p.series)
  local y, v = s:latest(ctx.year, p.scope) -- read first: the first source decides (CI annotations)
  local by = p.baseline_year or ctx.baseline(s.kind)
  if not by then
    return maal.nodata(sfmt(m2("intet baseline-år for '%s' (sæt baselines.%s eller baseline_year)",
      "no baseline year for '%s' (set baselines.%s or baseline_year)"), s.name, s.kind))
  end
  if not y or y <= by then
    return maal.nodata(sfmt(m2("ingen værdi for '%s' efter baseline-året %d (til og med %d)",
      "no value for '%s' after the baseline year %d (up to %d)"), s.name, by, ctx.year))
  end
  local b = s:value(by, p.scope)
  if b == nil then
    return maal.nodata(sfmt(m2("ingen baseline-værdi for '%s' i %d", "no baseline value for '%s' in %d"),
      s.name, by), {year = y, actual = v, unit = s.unit})
  end
  local ok, note, cy = ctx.comparable(s, by, y)
  if not ok then
    return maal.nodata(sfmt(m2("%d og %d kan ikke sammenlignes: området blev ændret i %d (%s)",
      "%d and %d cannot be compared: the area changed in %d (%s)"), by, y, cy, note))
  end
  local unit = s.unit
  if p.per_1000 then
    local pop, popb = ctx.population(y), ctx.population(by)
    if not pop or pop == 0 or not popb or popb == 0 then
      return maal.nodata(sfmt(m2("intet indbyggertal for %d og %d til at beregne pr. 1000",
        "no population for %d and %d to compute a rate per 1000"), by, y))
    end
    v, b, unit = v / pop * 1000, b / popb * 1000, "per_1000"
  end
  local strict = p.strict and true or false
  local op = (dir < 0 and "<" or ">") .. (strict and "" or "=")
  local change = maal.change(v, b)
  local word = BASEWORD[dir][strict]
  local pass
  if strict then pass = dir * change > 0 else pass = maal.compare(v, op, b) end
  return maal.verdict(pass, {
    actual = v, baseline = b, baseline_year = by, year = y, op = op, change = change,
    unit = unit,
    message = sfmt(m2("%s: %s i %d mod %s i %d (%s); målet er " .. word[1],
      "%s: %s in %d against %s in %d (%s); the goal is " .. word[2]), s.name,
      maal.with_unit(v, unit), y, maal.with_unit(b, unit), by, maal.signed(change), by),
  })
end

-- year vs year-1 for annual_decrease (dir = -1) and annual_increase (dir = 1).
function maal.annual(ctx, p, dir)
  local s = ctx.series(p.series)
  local scope = p.scope or "area"
  local y, v = s:latest(ctx.year, scope)
  if not y then
    return maal.nodata(sfmt(m2("ingen værdi for '%s' til og med %d", "no value for '%s' up to %d"),
      s.name, ctx.year))
  end
  local prev = s:value(y - 1, scope)
  if prev == nil then
    return maal.nodata(sfmt(m2("ingen værdi for '%s' i %d at sammenligne %d med",
      "no value for '%s' in %d to compare %d with"), s.name, y - 1, y), {year = y, actual = v,
      unit = s.unit})
  end
  local comp, note, cy = ctx.comparable(s, y - 1, y)
  if not comp then
    return maal.nodata(sfmt(m2("%d og %d kan ikke sammenlignes: området blev ændret i %d (%s)",
      "%d and %d cannot be compared: the area changed in %d (%s)"), y - 1, y, cy, note),
      {year = y, actual = v, unit = s.unit})
  end
  local change = maal.change(v, prev)
  local ok = (dir < 0 and v < prev) or (dir > 0 and v > prev)
  local sig, significant
  local n1, n2 = s:sample(y - 1, scope), s:sample(y, scope)
  if n1 and n2 then
    local z, pv = maal.ztest(prev, n1, v, n2)
    if z then
      local alpha = p.alpha or 0.05
      significant = pv < alpha
      sig = sfmt(m2("%s (to-andels z-test: z = %s, p = %s, n = %s og %s)",
        "%s (two-proportion z-test: z = %s, p = %s, n = %s and %s)"),
        pv < alpha and m2("ændringen er signifikant", "the change is significant")
                   or m2("ændringen er ikke signifikant", "the change is not significant"),
        maal.fmt(z, 2), maal.fmt(pv, 3), maal.fmt(n1), maal.fmt(n2))
    end
  end
  if not sig then
    local stated = s:significance(scope, y - 1, y)
    significant = stated
    if stated == true then
      sig = m2("ændringen er signifikant ifølge rapporten", "the change is significant according to the report")
    elseif stated == false then
      sig = m2("ændringen er ikke signifikant ifølge rapporten", "the change is not significant according to the report")
    else
      sig = m2("signifikans er ikke oplyst (ingen stikprøvestørrelser)", "significance not stated (no sample sizes)")
    end
  end
  local word = dir < 0 and m2("et fald", "a decrease") or m2("en stigning", "an increase")
  local t = {
    actual = v, baseline = prev, baseline_year = y - 1, year = y, change = change, unit = s.unit,
    op = dir < 0 and "<" or ">", significance = sig,
    message = sfmt(m2("%s: %s i %d mod %s i %d (%s); målet er %s hvert år",
      "%s: %s in %d against %s in %d (%s); the goal is %s every year"), s.name,
      maal.with_unit(v, s.unit), y, maal.with_unit(prev, s.unit), y - 1,
      maal.signed(change) .. (s.unit == "percent" and m2(" pct.-point", " pp") or ""), word),
  }
  -- significant_only: the goal counts only significant changes (opt-in; the literal reading
  -- is the default): a change that is not, or not known to be, significant decides nothing
  if p.significant_only and significant ~= true then
    t.message = t.message .. (significant == false
      and m2("; ændringen er ikke signifikant og tæller ikke (significant_only)",
             "; the change is not significant and does not count (significant_only)")
      or m2("; det er ikke oplyst, om ændringen er signifikant, så den tæller ikke (significant_only)",
            "; whether the change is significant is not stated, so it does not count (significant_only)"))
    return maal.info(t)
  end
  return maal.verdict(ok, t)
end

-- ---- the sandbox's base functions ----------------------------------------------------
local function guarded_setmetatable(t, mt)
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
    error(tr("setmetatable: '__gc' (finalizere) er ikke tilladt i regler",
      "setmetatable: '__gc' (finalizers) is not allowed in rules"), 2)
  end
  if ro[t] then error(tr("ctx kan kun læses", "ctx is read-only"), 2) end
  return setmetatable(t, mt)
end

local function guarded_rawset(t, k, v)
  if ro[t] then error(tr("ctx kan kun læses", "ctx is read-only"), 2) end
  return rawset(t, k, v)
end

-- C functions are not interrupted by the instruction hook, so each one that can loop long
-- on small input is guarded here: refuse the call when its work could pass the time limit.
local MAXCOST = 1e8
local MAXITEMS = 1e7
local MAXBYTES = 4e8
local deadline = C.deadline
local function too_long(name, what, n, level)
  error(sfmt(tr("%s: %s (%s) kan tage længere end tidsgrænsen; afvist",
    "%s: %s (%s) could take longer than the time limit; refused"), name, what,
    C.fmt(n, 0, LANG)), level or 3)
end

-- Every guard below first checks the deadline (C.deadline: the hook sees the clock only every
-- 1000 instructions, and a loop of guard-approved C calls of 0.3 s each would run on for
-- seconds), then reads each argument as the C function will: string functions take
-- a number as its text (string.find(1111, "1?1?x")), and number arguments may be numeric text
-- ("1e18"). A guard that looked only at type() == "number" or "string" was skipped.
local function as_number(x)
  if type(x) == "string" then return tonumber(x) or x end
  return x
end
local function as_text(x)
  if type(x) == "number" then return tostring(x) end
  return x
end

-- The repetitions of a pattern: each *, +, - and ? outside a set, and each %b twice (a
-- balance match scans ahead); an escaped character (%-, %?) and a set's contents are literal.
local function repetitions(p)
  local q, i, n = 0, 1, #p
  while i <= n do
    local c = sbyte(p, i)
    if c == 37 then -- '%': %bxy, or an escaped character or class
      if sbyte(p, i + 1) == 98 then q = q + 2; i = i + 4 else i = i + 2 end
    elseif c == 91 then -- '[': to the ']' that closes the set ('[^]...]' and '[]...]' too)
      i = i + 1
      if sbyte(p, i) == 94 then i = i + 1 end
      if sbyte(p, i) == 93 then i = i + 1 end
      while i <= n and sbyte(p, i) ~= 93 do
        if sbyte(p, i) == 37 then i = i + 1 end
        i = i + 1
      end
      i = i + 1
    else
      if c == 42 or c == 43 or c == 45 or c == 63 then q = q + 1 end
      i = i + 1
    end
  end
  return q
end

-- Patterns backtrack: cost ~ subject length x pattern length x subject length^(repetitions).
local function pattern_guard(name, f)
  return function(s, p, init, plain, ...)
    deadline()
    local st, pt = as_text(s), as_text(p)
    if type(st) == "string" and type(pt) == "string" then
      local n, m = #st, #pt
      local q = 0
      if not (name == "string.find" and plain) then
        q = repetitions(pt)
      end
      local cost = (n + 1) * (m + 1) * (n + 1) ^ q
      if cost > MAXCOST then
        error(sfmt(tr("%s: mønsteret (%d tegn, %d gentagelser) på et emne på %d tegn kan tage "
          .. "længere end tidsgrænsen; afvist", "%s: the pattern (%d characters, %d repetitions) "
          .. "on a subject of %d characters could take longer than the time limit; refused"),
          name, m, q, n), 2)
      end
    end
    return f(s, p, init, plain, ...)
  end
end

-- string.rep of an empty string loops n times without allocating: no memory limit stops it.
-- (A long result is stopped by the memory limit.)
local function guarded_rep(s, n, sep)
  deadline()
  n = as_number(n)
  if type(n) == "number" and n > 0 and n == mfloor(n) and s == "" and (sep == nil or sep == "")
  then return "" end
  return srep(s, n, sep)
end

local function span(name, i, j)
  deadline()
  i, j = as_number(i), as_number(j)
  if type(i) == "number" and type(j) == "number" and j - i > MAXITEMS then
    too_long(name, tr("antal elementer", "the number of items"), j - i, 4)
  end
end

local tinsert_raw, tremove_raw, tmove_raw, tunpack_raw = table.insert, table.remove, table.move,
  table.unpack
-- The table functions loop in C over lengths and indexes that metamethods can fake (a __len
-- that grows between two calls, an __index that is itself a C function): in rules they take
-- plain tables only.
local function plain(name, t)
  if type(t) == "table" and C.has_meta(t) then
    error(sfmt(tr("%s: tabeller med en metatabel er ikke tilladt her", "%s: tables with a metatable are not allowed here"), name), 4)
  end
end
local function guarded_len(name, t)
  deadline()
  plain(name, t)
  local n = #t
  if type(n) ~= "number" or n > MAXITEMS then too_long(name, tr("længden", "the length"), n, 4) end
  return n
end
local guarded_table = {
  concat = function(t, sep, i, j)
    plain("table.concat", t)
    span("table.concat", i or 1, j or guarded_len("table.concat", t))
    return tconcat(t, sep, i, j)
  end,
  insert = function(t, ...) guarded_len("table.insert", t); return tinsert_raw(t, ...) end,
  remove = function(t, ...) guarded_len("table.remove", t); return tremove_raw(t, ...) end,
  move = function(a1, f, e, t, a2)
    plain("table.move", a1)
    plain("table.move", a2)
    span("table.move", f, e)
    return tmove_raw(a1, f, e, t, a2)
  end,
  sort = function(t, comp)
    local n = guarded_len("table.sort", t)
    if n > 1e6 then too_long("table.sort", tr("længden", "the length"), n) end
    -- one comparison of two strings reads both (a C strcmp the hook cannot stop), and each
    -- element is compared about 2 log2(n) times: bound the bytes read, not only the count
    local bytes = 0
    for i = 1, n do
      local v = rawget(t, i)
      if type(v) == "string" then bytes = bytes + #v end
    end
    local levels = 2
    while 2 ^ (levels // 2) < n do levels = levels + 2 end
    if bytes * levels > MAXBYTES then
      too_long("table.sort", tr("byte at sammenligne", "bytes to compare"), bytes * levels)
    end
    return tsort(t, comp)
  end,
  unpack = tunpack_raw, -- bounded by the Lua stack: "too many results to unpack"
  pack = table.pack,
}

local function capped_print(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
  local line = tconcat(parts, "\t")
  if loglen >= MAXLOG then return end
  if loglen + #line + 1 > MAXLOG then line = ssub(line, 1, MAXLOG - loglen - 1) end
  logbuf[#logbuf + 1] = line
  loglen = loglen + #line + 1
end

local safe_string = {}
for k, v in pairs(string) do safe_string[k] = v end
safe_string.dump = nil
safe_string.find = pattern_guard("string.find", sfind)
safe_string.match = pattern_guard("string.match", smatch)
safe_string.gmatch = pattern_guard("string.gmatch", sgmatch)
safe_string.gsub = pattern_guard("string.gsub", sgsub)
safe_string.rep = guarded_rep
-- Methods on strings ("x"):find(...) go through the string metatable: point it at the
-- guarded table and lock it.
local smt = getmetatable("")
smt.__index = safe_string
smt.__metatable = false

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

local safe_table, safe_math, safe_utf8 = guarded_table, copy(math), copy(utf8)

-- A message handler runs with hooks off when the error came from the time-limit hook itself,
-- so a handler that loops could never be stopped: after the deadline, handlers are skipped.
local function guarded_xpcall(f, handler, ...)
  if type(handler) ~= "function" then return xpcall(f, handler, ...) end
  return xpcall(f, function(e)
    if C.timed_out() then return e end
    return handler(e)
  end, ...)
end
local maal_ro = readonly(maal, "maal")
-- The library proxies are read-only, so one of each serves every rule of this state.
local string_ro, table_ro = readonly(safe_string, "string"), readonly(safe_table, "table")
local math_ro, utf8_ro = readonly(safe_math, "math"), readonly(safe_utf8, "utf8")

-- A fresh global table for one rule.
function H.env(natives)
  local env = {
    assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall,
    xpcall = guarded_xpcall, select = select, tonumber = tonumber, tostring = tostring, type = type,
    rawequal = rawequal, rawget = rawget, rawlen = rawlen, rawset = guarded_rawset,
    getmetatable = getmetatable, setmetatable = guarded_setmetatable, print = capped_print,
    _VERSION = _VERSION,
    string = string_ro, table = table_ro, math = math_ro, utf8 = utf8_ro, maal = maal_ro,
  }
  for name, fns in pairs(natives or {}) do
    if env[name] == nil then env[name] = readonly(fns, name) end
  end
  env._G = env
  return env
end

-- ---- parameters -----------------------------------------------------------------------
local PTYPES = {string = true, number = true, integer = true, boolean = true, year = true,
                list = true, table = true}

local function ptype_ok(ty, v)
  if ty == "string" then return type(v) == "string" end
  if ty == "number" then return type(v) == "number" end
  if ty == "integer" or ty == "year" then
    if type(v) ~= "number" or v ~= mfloor(v) then return false end
    return ty == "integer" or (v >= C.year_min and v <= C.year_max)
  end
  if ty == "boolean" then return type(v) == "boolean" end
  if ty == "list" or ty == "table" then return type(v) == "table" end
  return false
end

local function describe(v)
  if type(v) == "string" then return sfmt("'%s'", v) end
  return tostring(v)
end

-- Check a goal's params against the rule's schema. Returns the checked params (defaults
-- filled) or nil and a message and the key it concerns.
local TYPEWORD = {
  da = {string = "tekst", number = "et tal", integer = "et helt tal", boolean = "true eller false",
        year = "et årstal", list = "en liste", table = "en tabel"},
  en = {string = "text", number = "a number", integer = "a whole number", boolean = "true or false",
        year = "a year", list = "a list", table = "a table"},
}
local function typeword(ty) return (TYPEWORD[LANG] or TYPEWORD.da)[ty] or ty end

function H.check_params(rule, params, lang)
  LANG = lang or LANG
  local schema = rawget(rule, "params")
  if schema == nil then return params end
  if type(schema) ~= "table" then
    return nil, tr("reglens 'params' er ikke en tabel", "the rule's 'params' is not a table")
  end
  local names = {}
  for k in next, schema do names[#names + 1] = type(k) == "string" and k or type(k) end
  tsort(names)
  for k, v in next, params do
    if rawget(schema, k) == nil then
      local dym = did_you_mean(k, names)
      return nil, sfmt(tr("ukendt parameter '%s'%s, forventede en af %s",
        "unknown parameter '%s'%s, expected one of %s"), tostring(k),
        dym and sfmt(tr(" (mente du '%s'?)", " (did you mean '%s'?)"), dym) or "",
        #names > 0 and tconcat(names, ", ") or "-"), k, "key"
    end
  end
  local out = {}
  for k, v in next, params do out[k] = v end
  for _, k in ipairs(names) do
    local spec = rawget(schema, k)
    if type(spec) == "string" then spec = {type = spec} end
    if type(spec) ~= "table" then
      return nil, sfmt(tr("reglens skema for '%s' er ikke en tabel", "the rule's schema for '%s' is not a table"), k)
    end
    local ty = rawget(spec, "type") or "string"
    if not PTYPES[ty] then
      return nil, sfmt(tr("reglens skema for '%s' har den ukendte type '%s'",
        "the rule's schema for '%s' has the unknown type '%s'"), k, tostring(ty))
    end
    local v = out[k]
    if v == nil then
      if rawget(spec, "required") then
        return nil, sfmt(tr("parameteren '%s' mangler (%s)", "parameter '%s' is missing (%s)"), k,
          typeword(ty)), k
      end
      out[k] = rawget(spec, "default")
    else
      if not ptype_ok(ty, v) then
        return nil, sfmt(tr("parameteren '%s' er %s, forventede %s", "parameter '%s' is %s, expected %s"),
          k, describe(v), typeword(ty)), k
      end
      local enum = rawget(spec, "enum")
      if type(enum) == "table" then
        -- the rule's table, beside the goal's params: raw reads and rawequal only
        local ok, en, i = false, {}, 1
        while rawget(enum, i) ~= nil do
          local e = rawget(enum, i)
          if rawequal(e, v) then ok = true end
          en[i] = (type(e) == "string" or type(e) == "number" or type(e) == "boolean")
            and tostring(e) or type(e)
          i = i + 1
        end
        if not ok then
          return nil, sfmt(tr("parameteren '%s' er %s, forventede en af %s",
            "parameter '%s' is %s, expected one of %s"), k, describe(v), tconcat(en, ", ")), k
        end
      end
    end
  end
  return out
end

function H.sources() return sources end
-- The host keeps each rule file's main function here (by the serial number of its text) in a
-- reused state; every run of a rule's chunk gets a fresh _ENV upvalue through upvalue_of
-- (core/eval.c, run_job).
H.rule_fns = {}
function H.upvalue_of(v) return function() return v end end

local randomseed = math.randomseed
-- Between two goals of one state: nothing of the previous goal's sources or log remains, and
-- math.random starts again from the same seed.
function H.reset()
  sources, nsources, seen_source = {}, 0, {}
  logbuf, loglen = {}, 0
  randomseed(0)
end
function H.log() return tconcat(logbuf, "\n") end

return H
