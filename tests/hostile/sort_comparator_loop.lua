-- A table.sort comparator that loops forever.
return { evaluate = function()
  local t = {3, 1, 2}
  table.sort(t, function(a, b) while true do end end)
  return maal.pass{message = "sorted"}
end }
