-- share_of_activities: "minimum 75 % af aktiviteterne skal involvere to eller flere
-- samarbejdspartnere".
-- Params: threshold (required, percent); min_partners (2).
-- Counts the activities with in_partner_share (default true) that run in the evaluated year
--   ('start'/'end' in the data: an activity new in a later plan does not count before it
--   starts); an activity's partners are the distinct organisations in 'responsible' and
--   'partners' together.
-- The message names every counted activity with its number of organisations (those with at
--   least min_partners, then those below), so a reader can check the share against the
--   plan; the sources give each activity's line in the data, where its partners are listed.
-- Missing data: nodata when no activity counts.
local m = maal.msg
local say = maal.std.say

-- names joined with ", ", at most MAXNAMES of them so that the message stays short (a rule's
-- message may hold at most 4096 bytes); the rest as "og N flere" / "and N more"
local MAXNAMES = 30
local function names(list)
  if #list <= MAXNAMES then return table.concat(list, ", ") end
  return table.concat(list, ", ", 1, MAXNAMES) ..
    say(" og %d flere", " and %d more", #list - MAXNAMES)
end

return {
  title = {da = "Andel af aktiviteter med samarbejdspartnere", en = "Share of activities with partners"},
  description = "activities with >= min_partners / counted activities >= threshold",
  params = {
    threshold = {type = "number", required = true},
    min_partners = {type = "integer", default = 2},
  },
  evaluate = function(ctx, p)
    local acts, later = {}, {}
    for _, a in ipairs(ctx.activities({in_partner_share = true})) do
      if a:runs(ctx.year) then acts[#acts + 1] = a else later[#later + 1] = a.name end
    end
    local n, k, below, counted = #acts, 0, {}, {}
    if n == 0 then
      return maal.nodata(say("ingen aktiviteter tæller med i andelen i %d",
        "no activities count in the share in %d", ctx.year))
    end
    for _, a in ipairs(acts) do
      if a.partner_count >= p.min_partners then
        k = k + 1
        counted[#counted + 1] = say("%s (%d)", nil, a.name, a.partner_count)
      else
        below[#below + 1] = say("%s (%d)", nil, a.name, a.partner_count)
      end
    end
    local pct = k / n * 100
    local msg = say("%d af %d aktiviteter (%s %%) har mindst %d samarbejdspartnere; målet er mindst %s %%",
      "%d of %d activities (%s %%) have at least %d partners; the goal is at least %s %%",
      k, n, maal.fmt(math.floor(pct * 10 + 0.5) / 10), p.min_partners, maal.fmt(p.threshold))
    if #counted > 0 then
      msg = msg .. say(". Med mindst %d: %s", ". With at least %d: %s", p.min_partners,
        names(counted))
    end
    if #below > 0 then
      msg = msg .. say(". Færre end %d: %s", ". Fewer than %d: %s", p.min_partners,
        names(below))
    end
    if #later > 0 then
      msg = msg .. say(". Kører ikke i %d og tæller ikke med: %s",
        ". Not running in %d and not counted: %s", ctx.year, names(later))
    end
    return maal.verdict(maal.compare(pct, ">=", p.threshold), {
      actual = pct, target = p.threshold, op = ">=", unit = "percent", numerator = k, year = ctx.year,
      denominator = n, message = msg,
    })
  end,
}
