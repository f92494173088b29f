-- Tries require("io") to get a library back: require is removed.
return { evaluate = function()
  local io = require("io")
  return maal.pass{message = tostring(io)}
end }
