-- Replaces its own globals (error, tostring, pairs, _G) to confuse the host, then errors.
return { evaluate = function()
  _G.tostring = function() while true do end end
  _G.error = nil
  _G.pairs = function() error("x") end
  _ENV = setmetatable({}, {__index = function() return 1 end})
  return nil + nil
end }
