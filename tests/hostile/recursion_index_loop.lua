-- A loop of __index tables: a looks up in b, b looks up in a.
return { evaluate = function()
  local a, b = {}, {}
  setmetatable(a, {__index = b})
  setmetatable(b, {__index = a})
  return maal.pass{message = tostring(a.missing)}
end }
