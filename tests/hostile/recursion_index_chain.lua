-- Recursion through metamethods: an __index function that indexes its own table again.
return { evaluate = function()
  local t = setmetatable({}, {})
  getmetatable(t).__index = function(self, k) return self[k .. "x"] end
  return maal.pass{message = tostring(t.a)}
end }
