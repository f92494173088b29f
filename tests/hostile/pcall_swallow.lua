-- Tries to swallow the timeout with pcall in a loop: the hook keeps raising on every instruction.
return { evaluate = function()
  while true do pcall(function() while true do end end) end
end }
