-- evaluate returns actual = 0/0 (NaN).
return { evaluate = function() return maal.pass{actual = 0/0, message = "not a number"} end }
