-- evaluate returns actual = math.huge.
return { evaluate = function() return maal.pass{actual = math.huge, message = "infinite"} end }
