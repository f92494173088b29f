-- error(nil): an error without any object.
return { evaluate = function() error(nil) end }
