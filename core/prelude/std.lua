-- ---- maal.std: shared building blocks of the standard rules ---------------------------
-- Not the public library: what rules/*.lua share. Also reachable under their old names
-- (maal.subject, ...), so rule files written for those keep working.
local std = {}
local function m2(da, en) return maal.msg(da, en) end
-- The common messages below are made by C.msg (core/msgfmt.c) in one call, the same text as
-- the string.format beside each; that runs only for what C.msg does not format (nil: a
-- value, label or unit of another kind), and raises the errors it always did.
local cmsg = C.msg
std.say = say -- (proxies.lua) for the rule files

-- What a goal measures: a series (+scope) or an activity's success criterion. Returns an
-- object with label, unit, latest(maxyear) and value(year).
function std.subject(ctx, p)
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

-- the target as at_least, at_most (op, a) and range ("range", min, max) word it, with the
-- subject's unit when given ("højst 25 %", "14.000–15.000 kr.")
function std.want(op, a, b, unit)
  return cmsg("want", LANG, op, a, b, unit) or (op == "range" and maal.fmt(a) .. "–" ..
    maal.with_unit(b, unit) or maal.opword(op) .. " " .. maal.with_unit(a, unit))
end

-- value op target, optionally by a year: the common core of at_least, at_most and range.
-- 'test(v)' decides; 'want' words the target for messages: a string, or a function of the
-- subject's unit that returns one (the standard rules: the target in the value's unit).
function std.target_check(ctx, p, test, want, extra)
  local subj = std.subject(ctx, p)
  local u = subj.unit
  if type(want) == "function" then want = want(u) end
  local y, v
  local due = p.by_year and p.by_year <= ctx.year
  if due then
    y, v = p.by_year, subj.value(p.by_year)
    if v == nil then
      return maal.nodata(say("ingen værdi for %s i %d, hvor målet skulle være nået",
        "no value for %s in %d, when the goal was due", subj.label, p.by_year))
    end
  else
    y, v = subj.latest(ctx.year)
    if not y then
      return maal.nodata(say("ingen værdi for %s til og med %d", "no value for %s up to %d",
        subj.label, ctx.year))
    end
  end
  local t = extra or {}
  t.actual, t.year, t.unit = v, y, u
  local ok = test(v)
  local early = p.by_year and not due
  t.message = cmsg("target", LANG, subj.label, v, u, y, want, p.by_year,
    early and (ok and 1 or 2) or 0)
  if not t.message then
    local base = say("%s: %s i %d; målet er %s", "%s: %s in %d; the goal is %s", subj.label,
      maal.with_unit(v, u), y, want)
    if early then
      t.message = base .. (ok and say(" senest %d, og det er allerede nået",
        " by %d, and it is met already", p.by_year) or say(" senest %d; endnu ikke nået, men først krævet i %d",
        " by %d; not met yet, but only due in %d", p.by_year, p.by_year))
    else
      t.message = base .. (p.by_year and say(" senest %d", " by %d", p.by_year) or "")
    end
  end
  if early then
    if ok then return maal.pass(t) end
    return maal.info(t)
  end
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
function std.baseline_check(ctx, p, dir)
  local s = ctx.series(p.series)
  local y, v = s:latest(ctx.year, p.scope) -- read first: the first source decides (CI annotations)
  local by = p.baseline_year or ctx.baseline(s.kind)
  if not by then
    return maal.nodata(say("intet baseline-år for '%s' (sæt baselines.%s eller baseline_year)",
      "no baseline year for '%s' (set baselines.%s or baseline_year)", s.name, s.kind))
  end
  if not y or y <= by then
    return maal.nodata(say("ingen værdi for '%s' efter baseline-året %d (til og med %d)",
      "no value for '%s' after the baseline year %d (up to %d)", s.name, by, ctx.year))
  end
  local b = s:value(by, p.scope)
  if b == nil then
    return maal.nodata(say("ingen baseline-værdi for '%s' i %d", "no baseline value for '%s' in %d",
      s.name, by), {year = y, actual = v, unit = s.unit})
  end
  local ok, note, cy = ctx.comparable(s, by, y, p.scope)
  if not ok then
    return maal.nodata(say("%d og %d kan ikke sammenlignes: området blev ændret i %d (%s)",
      "%d and %d cannot be compared: the area changed in %d (%s)", by, y, cy, note))
  end
  local unit = s.unit
  if p.per_1000 and unit ~= "count" then
    -- a rate, share or sum divided by the population again is no rate per 1000 inhabitants
    error(say("per_1000 beregner en rate ud fra et antal og indbyggertallet, men '%s' har enheden %s, ikke count; brug serien uden per_1000",
      "per_1000 computes a rate from a count and the population, but '%s' has the unit %s, not count; use the series without per_1000",
      s.name, tostring(unit)), 0)
  end
  if p.per_1000 then
    local pop, popb = ctx.population(y), ctx.population(by)
    if not pop or pop == 0 or not popb or popb == 0 then
      return maal.nodata(say("intet indbyggertal for %d og %d til at beregne pr. 1000",
        "no population for %d and %d to compute a rate per 1000", by, y))
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
    message = cmsg("baseline", LANG, s.name, v, unit, y, b, by, change, dir, strict) or
      say("%s: %s i %d mod %s i %d (%s); målet er " .. word[1],
      "%s: %s in %d against %s in %d (%s); the goal is " .. word[2], s.name,
      maal.with_unit(v, unit), y, maal.with_unit(b, unit), by, maal.signed(change) ..
      (unit == "percent" and m2(" pct.-point", " pp") or ""), by),
  })
end

-- year vs year-1 for annual_decrease (dir = -1) and annual_increase (dir = 1).
function std.annual(ctx, p, dir)
  local s = ctx.series(p.series)
  local scope = p.scope or "area"
  local y, v = s:latest(ctx.year, scope)
  if not y then
    return maal.nodata(say("ingen værdi for '%s' til og med %d", "no value for '%s' up to %d",
      s.name, ctx.year))
  end
  local prev = s:value(y - 1, scope)
  if prev == nil then
    return maal.nodata(say("ingen værdi for '%s' i %d at sammenligne %d med",
      "no value for '%s' in %d to compare %d with", s.name, y - 1, y), {year = y, actual = v,
      unit = s.unit})
  end
  local comp, note, cy = ctx.comparable(s, y - 1, y, scope)
  if not comp then
    return maal.nodata(say("%d og %d kan ikke sammenlignes: området blev ændret i %d (%s)",
      "%d and %d cannot be compared: the area changed in %d (%s)", y - 1, y, cy, note),
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
      sig = say("%s (to-andels z-test: z = %s, p = %s, n = %s og %s)",
        "%s (two-proportion z-test: z = %s, p = %s, n = %s and %s)",
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
    message = cmsg("annual", LANG, s.name, v, s.unit, y, prev, change, dir) or
      say("%s: %s i %d mod %s i %d (%s); målet er %s hvert år",
      "%s: %s in %d against %s in %d (%s); the goal is %s every year", s.name,
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

-- monitor's message: "name: v in y" and, with a comparable baseline, "against b in by (±change)"
function std.monitor_message(name, v, unit, y, b, by, change)
  local msg = cmsg("monitor", LANG, name, v, unit, y, b, by, change)
  if msg then return msg end
  if b == nil then
    return say("%s: %s i %d (monitoreres; ingen sammenlignelig baseline)",
      "%s: %s in %d (monitored; no comparable baseline)", name, maal.with_unit(v, unit), y)
  end
  return say("%s: %s i %d mod %s i %d (%s); monitoreres uden mål",
    "%s: %s in %d against %s in %d (%s); monitored, no target", name,
    maal.with_unit(v, unit), y, maal.with_unit(b, unit), by, maal.signed(change) ..
    (unit == "percent" and m2(" pct.-point", " pp") or ""))
end

-- share_of_activities' message: k of n activities with at least min_partners, each counted
-- one named with its number of organisations (cn[i], cc[i]; then those below: bn, bc, nb),
-- and the activities not running in the year (later); at most 30 names a list
local SHARE_MAXNAMES = 30
local function share_names(names, counts, nn)
  local list = names
  if counts then
    list = {}
    for i = 1, nn do list[i] = say("%s (%d)", nil, names[i], counts[i]) end
  end
  if #list <= SHARE_MAXNAMES then return tconcat(list, ", ") end
  return tconcat(list, ", ", 1, SHARE_MAXNAMES) ..
    say(" og %d flere", " and %d more", #list - SHARE_MAXNAMES)
end
function std.share_message(k, n, pct, minp, threshold, year, cn, cc, bn, bc, nb, later)
  local msg = cmsg("share", LANG, k, n, pct, minp, threshold, year, cn, cc, bn, bc, nb, later)
  if msg then return msg end
  msg = say("%d af %d aktiviteter (%s %%) har mindst %d samarbejdspartnere; målet er mindst %s %%",
    "%d of %d activities (%s %%) have at least %d partners; the goal is at least %s %%",
    k, n, maal.fmt(pct), minp, maal.fmt(threshold))
  if k > 0 then
    msg = msg .. say(". Med mindst %d: %s", ". With at least %d: %s", minp, share_names(cn, cc, k))
  end
  if nb > 0 then
    msg = msg .. say(". Færre end %d: %s", ". Fewer than %d: %s", minp, share_names(bn, bc, nb))
  end
  if #later > 0 then
    msg = msg .. say(". Kører ikke i %d og tæller ikke med: %s",
      ". Not running in %d and not counted: %s", year, share_names(later))
  end
  return msg
end

-- activities_on_track's message: the no activities not fully as planned (names on[i], op[i]
-- true for "partly"), of n with a status; those with concerns (names); flagged in all
function std.on_track_message(no, on, op, n, concerns, flagged)
  local msg = cmsg("on_track", LANG, no, on, op, n, concerns, flagged)
  if msg then return msg end
  local off = {}
  for i = 1, no do
    off[i] = say("%s (%s)", nil, on[i], op[i] and m2("delvist", "partly") or m2("nej", "no"))
  end
  msg = say("%d af %d aktiviteter kører ikke fuldt som planlagt%s; %d rapporterer bekymringer%s",
    "%d of %d activities do not fully run as planned%s; %d report concerns%s", #off, n,
    #off > 0 and ": " .. tconcat(off, ", ") or "", #concerns,
    #concerns > 0 and ": " .. tconcat(concerns, ", ") or "")
  return msg .. say("; i alt %d af %d kræver opmærksomhed", "; %d of %d need attention in all",
    flagged, n)
end

-- budget_balance's message: the rows' sum as stated (ok), or against the stated total
function std.budget_message(ok, rows, sum, stated, diff)
  local msg = cmsg("budget", LANG, ok, rows, sum, stated, diff)
  if msg then return msg end
  if ok then
    return say("%d rækker summerer til %s, som angivet", "%d rows add up to %s, as stated",
      rows, maal.with_unit(sum, "kr"))
  end
  return say("%d rækker summerer til %s, men tabellen angiver %s (forskel %s)",
    "%d rows add up to %s, but the table states %s (difference %s)", rows,
    maal.with_unit(sum, "kr"), maal.with_unit(stated, "kr"),
    maal.signed(diff) .. m2(" kr.", " DKK"))
end

-- the old names, beside the public library (rule files written before maal.std)
maal.subject, maal.target_check, maal.baseline_check, maal.annual =
  std.subject, std.target_check, std.baseline_check, std.annual
maal.std = readonly_own(std, "maal.std")
