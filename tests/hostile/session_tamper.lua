-- Goal 'tamper' changes everything it can reach and passes, so a reused state would carry it to goal 'hostile' (same rule, mode check), which must see none of it (session_tamper.yaml).
local function try(f, ...) pcall(f, ...) end
return {
  params = {mode = {type = "string", required = true}},
  evaluate = function(ctx, p)
    if p.mode == "tamper" then
      math.randomseed(4242)
      try(function() getmetatable("").__index = {upper = function() return "HACKED" end} end)
      try(function() string.upper = function() return "HACKED" end end)
      try(rawset, string, "upper", function() return "HACKED" end)
      try(function() local _, raw = pairs(string); raw.upper = function() return "HACKED" end end)
      try(function() maal.fmt = function() return "HACKED" end end)
      try(rawset, maal, "fmt", function() return "HACKED" end)
      try(function() local _, raw = pairs(maal); raw.fmt = function() return "HACKED" end end)
      try(function() table.concat = function() return "HACKED" end end)
      try(function() ctx.partnership.name = "HACKED" end)
      try(rawset, ctx.partnership, "name", "HACKED")
      try(function() local _, raw = pairs(ctx.partnership); raw.name = "HACKED" end)
      try(function() ctx.series("indbrud").name = "HACKED" end)
      _G.leak = "HACKED"
      leak2 = "HACKED"
      return maal.pass{message = "tampered, then passed"}
    end
    local seen = {}
    local r = math.random(1, 1 << 30)
    math.randomseed(4242)
    if r == math.random(1, 1 << 30) then seen[#seen + 1] = "math.random's seed" end
    if ("a"):upper() == "HACKED" or string.upper("a") == "HACKED" then seen[#seen + 1] = "string.upper" end
    if maal.fmt(1) == "HACKED" then seen[#seen + 1] = "maal.fmt" end
    if table.concat({"a"}) == "HACKED" then seen[#seen + 1] = "table.concat" end
    if ctx.partnership.name ~= "Hostile rules test" then seen[#seen + 1] = "ctx.partnership.name" end
    if ctx.series("indbrud").name ~= "Indbrud" then seen[#seen + 1] = "series name" end
    if rawget(_G, "leak") ~= nil or rawget(_G, "leak2") ~= nil then seen[#seen + 1] = "globals" end
    if #seen > 0 then error("the previous goal's state is visible: " .. table.concat(seen, ", ")) end
    error("the previous goal's state is not visible")
  end,
}
