-- Tries debug.sethook to remove the time limit: debug is not opened.
return { evaluate = function()
  debug.sethook()
  while true do end
end }
