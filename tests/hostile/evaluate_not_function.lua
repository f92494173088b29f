-- The rule's 'evaluate' is a string, not a function.
return { evaluate = "return pass" }
