-- evaluate returns the verdict "maybe".
return { evaluate = function() return {verdict = "maybe", message = "perhaps"} end }
