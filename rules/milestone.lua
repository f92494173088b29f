-- milestone: a success criterion is done by a date ("styregruppe nedsat inden 1. juni 2017").
-- Params: activity, criterion (required; the criterion needs 'due', and 'done' once done,
--   or 'done: no' when known not to be done).
-- Verdicts: pass if done <= due; fail if done after due, or known not done after due's year;
--   info while not yet due. Missing data: nodata when due has passed and the data does not
--   say whether it was done.
local m = maal.msg
local say = maal.std.say
return {
  title = {da = "Milepæl nået til tiden", en = "Milestone reached on time"},
  description = "done <= due",
  params = {activity = {type = "string", required = true}, criterion = {type = "string", required = true}},
  evaluate = function(ctx, p)
    local c = ctx.activity(p.activity):criterion(p.criterion)
    if not c.due then
      error(say("succeskriteriet '%s' har ingen 'due'-dato", "criterion '%s' has no 'due' date", c.id))
    end
    local due_year = tonumber(c.due:sub(1, 4))
    local label = c.text or c.id
    local done = c.done
    if type(done) == "string" and tonumber(done:sub(1, 4)) > ctx.year then
      done = false -- done after the evaluation year: as of that year it was not done
    end
    if type(done) == "string" then
      local ok = done <= c.due
      return maal.verdict(ok, {year = tonumber(done:sub(1, 4)),
        message = say("%s: nået %s; fristen var %s", "%s: done %s; due %s", label, done, c.due)})
    end
    if ctx.year <= due_year then
      -- not due yet: "nået" is said only of what the data says is done (or known not done)
      if done == false then
        return maal.info({year = ctx.year, message = say("%s: ikke nået endnu; fristen %s er ikke passeret",
          "%s: not done yet; due %s has not passed", label, c.due)})
      end
      return maal.info({year = ctx.year, message = say("%s: fristen %s er ikke passeret endnu",
        "%s: due %s, not yet due", label, c.due)})
    end
    if done == false then
      return maal.fail({year = ctx.year, message = say("%s: ikke nået; fristen var %s",
        "%s: not done; due %s", label, c.due)})
    end
    return maal.nodata(say("%s: fristen %s er passeret, men data siger ikke, om den er nået",
      "%s: due %s has passed, but the data does not say whether it was done", label, c.due))
  end,
}
