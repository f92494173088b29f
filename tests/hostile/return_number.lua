-- evaluate returns a number instead of a result table.
return { evaluate = function() return 42 end }
