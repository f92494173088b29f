-- evaluate returns a message with an embedded NUL byte (C would cut it there).
return { evaluate = function() return maal.pass{message = "looks fine\0 but hides this"} end }
