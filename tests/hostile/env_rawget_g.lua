-- Looks for hidden libraries with rawget(_G, ...) and a walk over _G; finds none, then uses io.
-- (require is maal's own, for NAME.lua beside the rule: tests/hostile/lib_require.lua)
return { evaluate = function()
  for _, name in ipairs({"io", "os", "debug", "package", "load", "coroutine"}) do
    local v = rawget(_G, name)
    if v ~= nil then return maal.pass{message = "found " .. name} end
  end
  for k, v in pairs(_G) do
    if type(v) == "table" and rawget(v, "open") then return maal.pass{message = "found io as " .. k} end
  end
  local io = rawget(_G, "io")
  return maal.pass{message = tostring(io.open)}
end }
