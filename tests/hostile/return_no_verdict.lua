-- evaluate returns a table without 'verdict'.
return { evaluate = function() return {message = "no verdict here"} end }
