-- A filter value that is a table (here with an __eq that says yes to everything) is refused:
-- a filter compares text, numbers and booleans only, and never runs the rule's metamethods.
return { evaluate = function(ctx)
  local yes = setmetatable({}, {__eq = function() return true end})
  local all = ctx.activities{new = yes}
  error("a table was accepted as a filter value (" .. #all .. " activities)")
end }
