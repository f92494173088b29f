-- ---- the maal helper library ----------------------------------------------------------
local maal = {}

function maal.fmt(x, decimals)
  if type(x) ~= "number" then return tostring(x) end
  return C.fmt(x, decimals or -1, LANG)
end

function maal.msg(da, en) if LANG == "en" then return en or da end return da end

-- A signed change a - b, rounded so 18.7 - 24.8 is -6.1 and not -6.1000000000000014.
function maal.change(a, b)
  if type(a) ~= "number" or type(b) ~= "number" then return nil end
  local d = a - b
  return mfloor(d * 1e9 + 0.5) / 1e9
end

function maal.signed(x, decimals)
  if type(x) ~= "number" then return tostring(x) end
  if x > 0 then return "+" .. maal.fmt(x, decimals) end
  if x < 0 then return "−" .. maal.fmt(-x, decimals) end
  return maal.fmt(0, decimals)
end

-- "<=", ">=" and "==" allow for the rounding of a computed share (1e-9); "<" and ">" are strict
local OPS = {
  ["<="] = function(a, b) return a <= b + 1e-9 end, ["<"] = function(a, b) return a < b end,
  [">="] = function(a, b) return a >= b - 1e-9 end, [">"] = function(a, b) return a > b end,
  ["=="] = function(a, b) return mabs(a - b) < 1e-9 end,
}
function maal.compare(a, op, b)
  local f = OPS[op]
  if not f then error(sfmt("maal.compare: unknown operator '%s'", tostring(op)), 2) end
  return f(a, b)
end

-- pp: percentage points, the unit of a difference of two shares ("+5 pct.-point", not "5 %")
local UNIT = {
  da = {percent = "%", per_1000 = "pr. 1000 indb.", count = "", kr = "kr.", number = "",
        pp = "pct.-point"},
  en = {percent = "%", per_1000 = "per 1000 inh.", count = "", kr = "DKK", number = "",
        pp = "percentage points"},
}
local UNITS = "count, per_1000, percent, pp, kr, number"
function maal.with_unit(x, unit, decimals)
  local u = (UNIT[LANG] or UNIT.da)[unit or "number"]
  if not u then
    error(sfmt(tr("ukendt enhed '%s', forventede en af %s", "unknown unit '%s', expected one of %s"),
      tostring(unit), UNITS), 2)
  end
  local s = maal.fmt(x, decimals)
  if u == "" then return s end
  return s .. " " .. u
end

-- Standard normal upper tail, for the two-proportion test (Abramowitz-Stegun 7.1.26).
local function normal_sf(z)
  local t = 1 / (1 + 0.3275911 * mabs(z) / msqrt(2))
  local y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
    + 0.254829592) * t * mexp(-(z * z) / 2)
  local cdf = 0.5 * (1 + y)
  if z < 0 then cdf = 1 - cdf end
  return 1 - cdf
end

-- Two-proportion z-test; p1, p2 in percent, n1, n2 respondents. Returns z and the
-- two-sided p-value, or nil when it cannot be computed.
function maal.ztest(p1, n1, p2, n2)
  if not (p1 and n1 and p2 and n2) or n1 <= 0 or n2 <= 0 then return nil end
  local a, b = p1 / 100, p2 / 100
  local pooled = (a * n1 + b * n2) / (n1 + n2)
  local se = msqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
  if se == 0 then return nil end
  local z = (b - a) / se
  return z, 2 * normal_sf(mabs(z))
end

-- A scope's name in the report language, for messages ("hele byen", not "city").
local SCOPE_NAME = {
  da = {area = "området", district = "bydelen", city = "hele byen"},
  en = {area = "the area", district = "the district", city = "the city"},
}
function maal.scope_name(scope)
  return (SCOPE_NAME[LANG] or SCOPE_NAME.da)[check_scope(scope)]
end

-- A result without 'message': one written from what it holds, in the report language.
local OPTEXT = {
  da = {["<="] = "højst", ["<"] = "under", [">="] = "mindst", [">"] = "over", ["=="] = "lig med"},
  en = {["<="] = "at most", ["<"] = "below", [">="] = "at least", [">"] = "above",
        ["=="] = "equal to"},
}
function H.default_message(r, lang)
  LANG = lang or LANG
  local unit = rawget(r, "unit")
  if unit ~= nil and not (UNIT[LANG] or UNIT.da)[unit] then unit = nil end
  local function v(x) return maal.with_unit(x, unit) end
  local actual, target, baseline = rawget(r, "actual"), rawget(r, "target"), rawget(r, "baseline")
  local year, by, op, change = rawget(r, "year"), rawget(r, "baseline_year"), rawget(r, "op"),
    rawget(r, "change")
  local parts = {}
  if type(actual) == "number" then
    parts[#parts + 1] = type(year) == "number" and sfmt(tr("%s i %d", "%s in %d"), v(actual), year)
      or v(actual)
  end
  local word = op and (OPTEXT[LANG] or OPTEXT.da)[op]
  if type(target) == "number" then
    parts[#parts + 1] = sfmt(tr("målet er %s%s", "the target is %s%s"), word and word .. " " or "",
      v(target))
  elseif type(baseline) == "number" then
    parts[#parts + 1] = sfmt(tr("mod %s%s", "against %s%s"), v(baseline),
      type(by) == "number" and sfmt(tr(" i %d", " in %d"), by) or "")
    if word then
      parts[#parts + 1] = type(by) == "number" and
        sfmt(tr("målet er %s %d-niveau", "the goal is %s the %d level"), word, by) or
        sfmt(tr("målet er %s det", "the goal is %s it"), word)
    end
  end
  if type(change) == "number" then
    local u = (unit == "percent" or unit == "pp") and "pp" or unit
    local us = u and (UNIT[LANG] or UNIT.da)[u] or ""
    parts[#parts + 1] = sfmt(tr("ændring %s", "change %s"),
      maal.signed(change) .. (us ~= "" and " " .. us or ""))
  end
  if #parts == 0 then return tr("(reglen gav ingen forklaring)", "(the rule gave no explanation)") end
  return tconcat(parts, "; ")
end

function maal.pass(t) t = t or {}; t.verdict = "pass"; return t end
function maal.fail(t) t = t or {}; t.verdict = "fail"; return t end
function maal.info(t) t = t or {}; t.verdict = "info"; return t end
function maal.nodata(message, t) t = t or {}; t.verdict = "nodata"; t.message = message; return t end
function maal.verdict(ok, t) t = t or {}; t.verdict = ok and "pass" or "fail"; return t end

maal.tr = maal.msg

local OPWORD = {
  da = {["<="] = "højst", [">="] = "mindst", ["<"] = "under", [">"] = "over"},
  en = {["<="] = "at most", [">="] = "at least", ["<"] = "below", [">"] = "above"},
}
function maal.opword(op) return (OPWORD[LANG] or OPWORD.da)[op] or op end


