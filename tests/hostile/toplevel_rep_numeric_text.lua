-- string.rep("", "1e18") in the rule file's main chunk, which 'maal rules' and 'maal validate'
-- run too: the same guard serves them (the second stage describes this case).
local r = string.rep("", "1e18")
error("top level: string.rep returned " .. #r .. " bytes at once")
