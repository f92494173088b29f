-- Replaces the metatable of ctx to make it writable.
return { evaluate = function(ctx)
  setmetatable(ctx, nil)
  ctx.year = 1999
  return maal.pass{message = "replaced ctx's metatable"}
end }
