-- error() with a plain table as the error object.
return { evaluate = function() error({code = 42}) end }
