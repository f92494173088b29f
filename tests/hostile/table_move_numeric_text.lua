-- table.move({}, "1", "1e15", 1, {}): the indexes are numeric text, which Lua reads as numbers;
-- the span check must see them as numbers too, else the C loop runs 10^15 times.
return { evaluate = function()
  table.move({}, "1", "1e15", 1, {})
  return maal.pass{message = "moved"}
end }
