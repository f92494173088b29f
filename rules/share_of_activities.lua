-- share_of_activities: "minimum 75 % af aktiviteterne skal involvere to eller flere
-- samarbejdspartnere".
-- Params: threshold (required, percent); min_partners (2).
-- Counts the activities with in_partner_share (default true); an activity's partners are the
--   distinct organisations in 'responsible' and 'partners' together.
-- Missing data: nodata when no activity counts.
local m = maal.msg
return {
  title = {da = "Andel af aktiviteter med samarbejdspartnere", en = "Share of activities with partners"},
  description = "activities with >= min_partners / counted activities >= threshold",
  params = {
    threshold = {type = "number", required = true},
    min_partners = {type = "integer", default = 2},
  },
  evaluate = function(ctx, p)
    local acts = ctx.activities({in_partner_share = true})
    local n, k, below = #acts, 0, {}
    if n == 0 then
      return maal.nodata(m("ingen aktiviteter tæller med i andelen", "no activities count in the share"))
    end
    for _, a in ipairs(acts) do
      if a.partner_count >= p.min_partners then
        k = k + 1
      else
        below[#below + 1] = string.format("%s (%d)", a.name, a.partner_count)
      end
    end
    local pct = k / n * 100
    local msg = string.format(m("%d af %d aktiviteter (%s %%) har mindst %d samarbejdspartnere; målet er mindst %s %%",
      "%d of %d activities (%s %%) have at least %d partners; the goal is at least %s %%"),
      k, n, maal.fmt(math.floor(pct * 10 + 0.5) / 10), p.min_partners, maal.fmt(p.threshold))
    if #below > 0 then
      msg = msg .. string.format(m(". Færre end %d: %s", ". Fewer than %d: %s"), p.min_partners,
        table.concat(below, ", "))
    end
    return maal.verdict(maal.compare(pct, ">=", p.threshold), {
      actual = pct, target = p.threshold, op = ">=", unit = "percent", numerator = k, year = ctx.year,
      denominator = n, message = msg,
    })
  end,
}
