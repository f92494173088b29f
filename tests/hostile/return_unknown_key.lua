-- evaluate returns 'verdikt' instead of 'verdict' (a typo must not pass silently).
return { evaluate = function() return {verdict = "pass", verdikt = "fail", message = "typo"} end }
