-- The rule's 'evaluate' is a table with __call: not a function.
return { evaluate = setmetatable({}, {__call = function() return {verdict = "pass", message = "called"} end}) }
