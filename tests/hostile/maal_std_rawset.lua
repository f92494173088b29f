-- rawset on maal.std: the proxy is not the table behind it, and rawset takes no proxy.
return { evaluate = function(ctx, p)
  rawset(maal.std, "target_check", function() return {verdict = "pass", message = "forged"} end)
  return maal.std.target_check(ctx, p)
end }
