-- ---- parameters -----------------------------------------------------------------------
local PTYPES = {string = true, number = true, integer = true, boolean = true, year = true,
                list = true, table = true}

local function ptype_ok(ty, v)
  if ty == "string" then return type(v) == "string" end
  if ty == "number" then return type(v) == "number" end
  if ty == "integer" or ty == "year" then
    if type(v) ~= "number" or v ~= mfloor(v) then return false end
    return ty == "integer" or (v >= C.year_min and v <= C.year_max)
  end
  if ty == "boolean" then return type(v) == "boolean" end
  if ty == "list" or ty == "table" then return type(v) == "table" end
  return false
end

local function describe(v)
  if type(v) == "string" then return sfmt("'%s'", v) end
  return tostring(v)
end

-- Check a goal's params against the rule's schema. Returns the checked params (defaults
-- filled) or nil and a message and the key it concerns.
local TYPEWORD = {
  da = {string = "tekst", number = "et tal", integer = "et helt tal", boolean = "true eller false",
        year = "et årstal", list = "en liste", table = "en tabel"},
  en = {string = "text", number = "a number", integer = "a whole number", boolean = "true or false",
        year = "a year", list = "a list", table = "a table"},
}
local function typeword(ty) return (TYPEWORD[LANG] or TYPEWORD.da)[ty] or ty end

function H.check_params(rule, params, lang)
  LANG = lang or LANG
  local schema = rawget(rule, "params")
  if schema == nil then return params end
  if type(schema) ~= "table" then
    return nil, tr("reglens 'params' er ikke en tabel", "the rule's 'params' is not a table")
  end
  local names = {}
  for k in next, schema do names[#names + 1] = type(k) == "string" and k or type(k) end
  tsort(names)
  for k, v in next, params do
    if rawget(schema, k) == nil then
      local dym = did_you_mean(k, names)
      return nil, sfmt(tr("ukendt parameter '%s'%s, forventede en af %s",
        "unknown parameter '%s'%s, expected one of %s"), tostring(k),
        dym and sfmt(tr(" (mente du '%s'?)", " (did you mean '%s'?)"), dym) or "",
        #names > 0 and tconcat(names, ", ") or "-"), k, "key"
    end
  end
  local out = {}
  for k, v in next, params do out[k] = v end
  for _, k in ipairs(names) do
    local spec = rawget(schema, k)
    if type(spec) == "string" then spec = {type = spec} end
    if type(spec) ~= "table" then
      return nil, sfmt(tr("reglens skema for '%s' er ikke en tabel", "the rule's schema for '%s' is not a table"), k)
    end
    local ty = rawget(spec, "type") or "string"
    if not PTYPES[ty] then
      return nil, sfmt(tr("reglens skema for '%s' har den ukendte type '%s'",
        "the rule's schema for '%s' has the unknown type '%s'"), k, tostring(ty))
    end
    local v = out[k]
    if v == nil then
      if rawget(spec, "required") then
        return nil, sfmt(tr("parameteren '%s' mangler (%s)", "parameter '%s' is missing (%s)"), k,
          typeword(ty)), k
      end
      out[k] = rawget(spec, "default")
    else
      if not ptype_ok(ty, v) then
        return nil, sfmt(tr("parameteren '%s' er %s, forventede %s", "parameter '%s' is %s, expected %s"),
          k, describe(v), typeword(ty)), k
      end
      local enum = rawget(spec, "enum")
      if type(enum) == "table" then
        -- the rule's table, beside the goal's params: raw reads and rawequal only
        local ok, en, i = false, {}, 1
        while rawget(enum, i) ~= nil do
          local e = rawget(enum, i)
          if rawequal(e, v) then ok = true end
          en[i] = (type(e) == "string" or type(e) == "number" or type(e) == "boolean")
            and tostring(e) or type(e)
          i = i + 1
        end
        if not ok then
          return nil, sfmt(tr("parameteren '%s' er %s, forventede en af %s",
            "parameter '%s' is %s, expected one of %s"), k, describe(v), tconcat(en, ", ")), k
        end
      end
    end
  end
  return out
end

