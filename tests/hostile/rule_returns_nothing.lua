-- The rule file returns nothing.
local x = 1
