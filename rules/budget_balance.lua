-- budget_balance: the plan's financing rows add up to the total the plan states for a year.
-- Params: year (required).
-- Missing data: nodata when the year is after the evaluated year (not yet), the stated
--   total for the year is missing or any row is '?' (not decided); the message names the rows.
local say = maal.std.say
return {
  title = {da = "Budgettet summerer", en = "Budget adds up"},
  description = "sum of financing(year) == budget[year]",
  params = {year = {type = "year", required = true}},
  evaluate = function(ctx, p)
    if p.year > ctx.year then
      return maal.nodata(say("budgettet for %d: endnu ikke, data til og med %d",
        "the budget for %d: not yet, data up to %d", p.year, ctx.year), {year = p.year})
    end
    local stated = ctx.budget(p.year)
    if stated == nil then
      return maal.nodata(say("ingen angivet budgetsum for %d", "no stated budget total for %d", p.year))
    end
    local sum, rows, open = 0, 0, {}
    for _, a in ipairs(ctx.activities()) do
      local f = a:financing(p.year)
      if f == "?" then
        open[#open + 1] = a.name
      elseif f then
        sum, rows = sum + f, rows + 1
      end
    end
    if #open > 0 then
      return maal.nodata(say("finansieringen for %d er ikke besluttet ('?') for: %s",
        "financing for %d is not decided ('?') for: %s", p.year, table.concat(open, ", ")),
        {year = p.year, target = stated, unit = "kr"})
    end
    local diff = maal.change(sum, stated)
    local ok = maal.compare(sum, "==", stated)
    return maal.verdict(ok, {
      actual = sum, target = stated, op = "==", year = p.year, unit = "kr", change = diff,
      message = maal.std.budget_message(ok, rows, sum, stated, diff),
    })
  end,
}
