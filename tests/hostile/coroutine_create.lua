-- Tries coroutine.create/wrap to run the loop where the hook might not reach: coroutine is not opened.
return { evaluate = function()
  local co = coroutine.create(function() while true do coroutine.yield() end end)
  while true do coroutine.resume(co) end
end }
