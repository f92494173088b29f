-- share_of_activities: "minimum 75 % af aktiviteterne skal involvere to eller flere
-- samarbejdspartnere".
-- Params: threshold (required, percent 0-100: 75, not 0.75); min_partners (2).
-- Counts the activities with in_partner_share (default true) that run in the evaluated year
--   ('start'/'end' in the data, else the partnership's period: an activity new in a later plan
--   does not count before it starts, and none counts outside the period); an activity's
--   partners are the distinct organisations in 'responsible' and 'partners' together.
-- The message names every counted activity with its number of organisations (those with at
--   least min_partners, then those below), so a reader can check the share against the
--   plan; the sources give each activity's line in the data, where its partners are listed.
-- Missing data: nodata when no activity counts.
local say = maal.std.say

return {
  title = {da = "Andel af aktiviteter med samarbejdspartnere", en = "Share of activities with partners"},
  description = "activities with >= min_partners / counted activities >= threshold",
  params = {
    threshold = {type = "number", required = true},
    min_partners = {type = "integer", default = 2},
  },
  evaluate = function(ctx, p)
    -- "minimum 75 %" is threshold 75: a share written as a fraction (0.75) would be met by
    -- almost any share, and more than 100 % by none
    if p.threshold < 0 or p.threshold > 100 or (p.threshold > 0 and p.threshold < 1) then
      error(say("threshold er en procent mellem 0 og 100 (75 for 75 %%), fik %s",
        "threshold is a percent between 0 and 100 (75 for 75 %%), got %s", maal.fmt(p.threshold)), 0)
    end
    local acts, later = {}, {}
    for _, a in ipairs(ctx.activities({in_partner_share = true})) do
      if a:runs(ctx.year) then acts[#acts + 1] = a else later[#later + 1] = a.name end
    end
    local n, k = #acts, 0
    local per = ctx.partnership.period
    if n == 0 and (ctx.year < per.from or ctx.year > per.to) then
      return maal.nodata(say("%d ligger uden for partnerskabets periode %d-%d, så ingen aktivitet kører",
        "%d is outside the partnership's period %d-%d, so no activity runs", ctx.year, per.from,
        per.to))
    end
    if n == 0 then
      return maal.nodata(say("ingen aktiviteter tæller med i andelen i %d",
        "no activities count in the share in %d", ctx.year))
    end
    -- each counted activity's name and number of organisations (cn, cc), those below (bn, bc)
    local cn, cc, bn, bc, nb = {}, {}, {}, {}, 0
    for _, a in ipairs(acts) do
      if a.partner_count >= p.min_partners then
        k = k + 1
        cn[k], cc[k] = a.name, a.partner_count
      else
        nb = nb + 1
        bn[nb], bc[nb] = a.name, a.partner_count
      end
    end
    local pct = k / n * 100
    local pass = maal.compare(pct, ">=", p.threshold)
    -- the share as the message shows it: one decimal, or as many more as it takes not to look
    -- met when it is not (2 of 3 against 66,7: "66,67 %", not "66,7 %")
    local shown, dec = math.floor(pct * 10 + 0.5) / 10, 1
    while dec < 6 and maal.compare(shown, ">=", p.threshold) ~= pass do
      dec = dec + 1
      shown = math.floor(pct * 10 ^ dec + 0.5) / 10 ^ dec
    end
    local msg = maal.std.share_message(k, n, shown, p.min_partners,
      p.threshold, ctx.year, cn, cc, bn, bc, nb, later)
    return maal.verdict(pass, {
      actual = pct, target = p.threshold, op = ">=", unit = "percent", numerator = k, year = ctx.year,
      denominator = n, message = msg,
    })
  end,
}
