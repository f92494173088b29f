-- An endless loop at evaluation: the instruction-count hook and the deadline stop it.
return { evaluate = function() while true do end end }
