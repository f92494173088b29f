-- stated_sum: a total the document states equals the sum of the parts it states
-- ("Landsbyggefonden 3.100, Lokal medfinansiering 1.928, Samlet budget for indsatsområdet
-- 5.028"), for totals that belong to no year's budget table.
-- Params: total (required), parts (required: a list of {name, value}, as the document lists
--   them), unit (count, kr, number, ...; leave it out when the document states none: the
--   message then says so instead of guessing one).
-- The numbers are the goal's own params, so no data source is listed for them: the goal's
--   comment must name the document and line.
-- Verdicts: pass if the parts sum to the total; fail otherwise, with both sums and the
--   difference. Never nodata: the numbers are in the goal.
local m = maal.msg
local say = maal.std.say
return {
  title = {da = "Angivet sum stemmer", en = "Stated total adds up"},
  description = "sum(parts) == total",
  params = {
    total = {type = "number", required = true},
    parts = {type = "list", required = true},
    unit = {type = "string", enum = {"count", "per_1000", "percent", "kr", "number"}},
  },
  evaluate = function(ctx, p)
    if #p.parts == 0 then
      error(m("'parts' er tom; angiv mindst én del", "'parts' is empty; give at least one part"), 0)
    end
    local unit = p.unit or "number"
    local sum, shown = 0, {}
    for i, part in ipairs(p.parts) do
      if type(part) ~= "table" or type(part.value) ~= "number" or
          (part.name ~= nil and type(part.name) ~= "string") then
        error(say("del %d skal være {name, value} med et tal som value",
          "part %d must be {name, value} with a number as value", i), 0)
      end
      sum = sum + part.value
      local v = maal.with_unit(part.value, unit)
      shown[#shown + 1] = part.name and (part.name .. " " .. v) or v
    end
    sum = maal.change(sum, 0)
    local nounit = p.unit and "" or m(" (dokumentet angiver ingen enhed)",
      " (the document states no unit)")
    local total = maal.with_unit(p.total, unit)
    local ok = maal.compare(sum, "==", p.total)
    local msg
    if ok then
      msg = say("%s = %s, som angivet%s", "%s = %s, as stated%s",
        table.concat(shown, " + "), total, nounit)
    else
      msg = say("%s = %s, men dokumentet angiver %s (forskel %s)%s",
        "%s = %s, but the document states %s (difference %s)%s",
        table.concat(shown, " + "), maal.with_unit(sum, unit), total,
        maal.signed(maal.change(sum, p.total)), nounit)
    end
    return maal.verdict(ok, {actual = sum, target = p.total, op = "==", unit = unit,
      message = msg})
  end,
}
