-- An endless loop in the chunk's top level, before the rule table is even returned.
while true do end
return { evaluate = function() return maal.pass{message = "unreachable"} end }
