-- evaluate returns nothing.
return { evaluate = function() end }
