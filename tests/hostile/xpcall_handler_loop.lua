-- xpcall around an endless loop, with a message handler that loops too, all inside a loop.
return { evaluate = function()
  local function handler(e) while true do end end
  while true do xpcall(function() while true do end end, handler) end
end }
