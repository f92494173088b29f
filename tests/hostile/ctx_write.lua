-- Writes to ctx: ctx is a read-only proxy.
return { evaluate = function(ctx)
  ctx.year = 1999
  return maal.pass{message = "wrote ctx.year"}
end }
