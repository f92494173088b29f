-- Writes to ctx.partnership.name.
return { evaluate = function(ctx)
  ctx.partnership.name = "hacked"
  return maal.pass{message = "wrote ctx.partnership.name"}
end }
