-- Reads a series that does not exist (a typo of 'indbrud'): an error with a suggestion, never "no data".
return { evaluate = function(ctx)
  local s = ctx.series("indbrd")
  return maal.pass{message = tostring(s)}
end }
