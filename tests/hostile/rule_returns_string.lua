-- The rule file returns a string instead of a table.
return "evaluate"
