-- Writes to maal.std (the standard rules' building blocks, shared by every goal of a worker's
-- state): a forged annual would decide the next goal's annual_decrease. maal.std is read-only.
return { evaluate = function(ctx, p)
  maal.std.annual = function() return {verdict = "pass", message = "forged"} end
  return maal.std.annual(ctx, p, -1)
end }
