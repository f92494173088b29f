-- activities_on_track: the midway status: activities that do not run as planned or report
-- concerns. 'actual' counts the activities with either.
-- Params: year (default: the latest status year <= --year); max_off_track (without it the
--   verdict is info; with it, pass if at most that many are off track).
-- Only activities running in the status year count ('start'/'end').
-- Missing data: nodata when no activity has a status for the year, or 'year' is after the
--   evaluated year (the status is not due yet).
local say = maal.std.say
return {
  title = {da = "Aktiviteter kører som planlagt", en = "Activities on track"},
  description = "activities not as planned or with concerns <= max_off_track",
  params = {year = {type = "year"}, max_off_track = {type = "integer"}},
  evaluate = function(ctx, p)
    local acts = ctx.activities()
    local year = p.year
    if year and year > ctx.year then
      return maal.nodata(say("midtvejsstatus for %d: endnu ikke, data til og med %d",
        "midway status for %d: not yet, data up to %d", year, ctx.year), {year = year})
    end
    if not year then
      for _, a in ipairs(acts) do
        local st = a.status
        if st and st.year <= ctx.year and (not year or st.year > year) then year = st.year end
      end
    end
    -- the activities not fully as planned: names (on) and whether partly (op)
    local n, no, on, op, concerns, flagged = 0, 0, {}, {}, {}, 0
    for _, a in ipairs(acts) do
      local st = year and a:status_for(year) -- the year's, also when the data has one a year
      if st and a:runs(year) then
        n = n + 1
        if st.as_planned ~= "yes" then
          no = no + 1
          on[no], op[no] = a.name, st.as_planned == "partly"
        end
        if st.concerns then concerns[#concerns + 1] = a.name end
        if st.as_planned ~= "yes" or st.concerns then flagged = flagged + 1 end
      end
    end
    if n == 0 then
      return maal.nodata(say("ingen aktivitet har en midtvejsstatus for %s",
        "no activity has a midway status for %s", tostring(year or ctx.year)))
    end
    local msg = maal.std.on_track_message(no, on, op, n, concerns, flagged)
    local t = {actual = flagged, numerator = flagged, denominator = n, year = year, unit = "count",
               message = msg}
    if p.max_off_track then
      t.target, t.op = p.max_off_track, "<="
      return maal.verdict(flagged <= p.max_off_track, t)
    end
    return maal.info(t)
  end,
}
