-- Tries require("io") to get a library back: require loads only NAME.lua from the rule's own
-- folder, never a library or a path.
return { evaluate = function()
  local io = require("io")
  return maal.pass{message = tostring(io)}
end }
