-- rawset on ctx bypasses __newindex on plain tables: the guarded rawset refuses read-only proxies.
return { evaluate = function(ctx)
  rawset(ctx, "year", 1999)
  return maal.pass{message = "rawset ctx.year"}
end }
