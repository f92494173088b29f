-- pairs(ctx) through __pairs hands out its iterator and state (the proxy itself, never the table behind it); writing through them must still be refused.
return { evaluate = function(ctx)
  local _, raw = pairs(ctx)
  raw.year = 1999
  local _, rawm = pairs(maal)
  rawm.pass = function(t) t.verdict = "pass"; return t end
  return maal.pass{message = "wrote ctx.year through pairs: " .. tostring(ctx.year)}
end }
