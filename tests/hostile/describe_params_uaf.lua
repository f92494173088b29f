-- For 'maal rules': a params spec whose __index (run by describe's lua_getfield) drops the param names and churns the collector, so C's saved key pointers dangle.
local params = {}
for i = 1, 3 do params[("k"):rep(50) .. i] = {} end
local spec_mt = {__index = function(_, k)
  if k == "type" then
    for key in next, params do params[key] = nil end
    for i = 1, 200 do params[i .. ("z"):rep(60)] = i end -- a rehash drops the dead keys
    for i = 1, 200 do params[i .. ("z"):rep(60)] = nil end
    local g = {}
    for i = 1, 5000 do g[i % 100] = ("y"):rep(1000) .. i end -- let the collector run
    return "string"
  end
end}
for _, spec in next, params do setmetatable(spec, spec_mt) end
return { title = "describe probe", params = params,
         evaluate = function() error("describe probe: only 'maal rules' is the target") end }
