-- evaluate returns the verdict "error" itself (only the host gives that verdict).
return { evaluate = function() return {verdict = "error", message = "self-declared error"} end }
