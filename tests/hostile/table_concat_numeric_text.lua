-- table.concat with numeric text for i and j: the span is 10^15 items, refused before the C loop.
return { evaluate = function()
  local t = {}
  table.concat(t, "", "1", "1e15")
  return maal.pass{message = "concatenated"}
end }
