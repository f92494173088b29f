-- Reads a field of ctx that does not exist: an error with a suggestion.
return { evaluate = function(ctx)
  return maal.pass{message = tostring(ctx.yaer)}
end }
