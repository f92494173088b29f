-- prelude: runs first in every sandboxed Lua state. It builds the read-only 'ctx' a rule sees,
-- the 'maal' helper library, and the guarded base functions; the host keeps the returned
-- table H in the registry and the rule never sees it.
--
-- The prelude is one chunk, concatenated at build time from core/prelude/ in this order
-- (PRELUDE in the Makefile): proxies.lua (the shared locals, did-you-mean, read-only proxies,
-- sources), ctx.lua, maal.lua (the public 'maal' library), std.lua (maal.std: the standard
-- rules' building blocks), guards.lua (the sandbox's base functions and a rule's globals)
-- and host.lua (what the host calls between goals). A goal's params are checked against the
-- rule's schema in C (core/params.c).
-- Each file sees the locals of the files before it.
local C = ...   -- C helpers from the host: fmt(number, decimals, lang), msg (std.lua), say,
                -- timed_out, has_meta, year_min and year_max (MAAL_YEAR_MIN/MAX of include/maal.h)

local type, pairs, ipairs, next, error, tostring, tonumber, select, pcall =
      type, pairs, ipairs, next, error, tostring, tonumber, select, pcall
local rawget, rawset, rawequal, rawlen, setmetatable, getmetatable =
      rawget, rawset, rawequal, rawlen, setmetatable, getmetatable
local sfmt, sfind, smatch, sgmatch, sgsub, ssub, srep, sbyte =
      string.format, string.find, string.match, string.gmatch, string.gsub, string.sub,
      string.rep, string.byte
local tconcat, tsort = table.concat, table.sort
local mfloor, mabs, msqrt, mexp, mtype = math.floor, math.abs, math.sqrt, math.exp, math.type

local H = {}
local LANG = "da"
local ro = setmetatable({}, {__mode = "k"})   -- the read-only proxies handed to rules (below)
local logbuf, loglen, MAXLOG = {}, 0, 8192

local function tr(da, en) if LANG == "en" then return en end return da end
-- say(da, en, ...): string.format(maal.msg(da, en), ...), written by C.say (core/msgfmt.c) for a
-- template of %s, %d and %% only (no snprintf, no format parsing); anything else (nil from
-- C.say) goes to string.format as before, with the same text or the same error.
local csay = C.say
local function say(da, en, ...)
  return csay(LANG, da, en, ...) or sfmt(LANG == "en" and en or da, ...)
end

-- ---- did you mean -------------------------------------------------------------------
local function distance(a, b)
  if #a > 64 or #b > 64 then return 99 end
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = {[0] = i}
    local ai = sbyte(a, i)
    for j = 1, #b do
      local cost = (ai == sbyte(b, j)) and 0 or 1
      local x, y, z = prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost
      cur[j] = (x < y and (x < z and x or z)) or (y < z and y or z)
    end
    prev = cur
  end
  return prev[#b]
end

local function did_you_mean(s, names)
  if type(s) ~= "string" then return nil end
  local best, bestd = nil, (#s <= 3 and 1) or (#s <= 8 and 2) or 3
  bestd = bestd + 1
  for _, n in ipairs(names) do
    local d = distance(s, n)
    if d < bestd then best, bestd = n, d end
  end
  return best
end

local function sorted_keys(t)
  local ks = {}
  for k in next, t do if type(k) == "string" then ks[#ks + 1] = k end end
  tsort(ks)
  return ks
end

local function unknown(what, k, names)
  local dym = did_you_mean(k, names)
  if dym then
    error(sfmt(tr("%s har intet felt '%s' (mente du '%s'?)", "%s has no field '%s' (did you mean '%s'?)"),
      what, tostring(k), dym), 3)
  end
  error(sfmt(tr("%s har intet felt '%s'; felterne er %s", "%s has no field '%s'; its fields are %s"),
    what, tostring(k), tconcat(names, ", ")), 3)
end

-- What each proxy stands for: ro[proxy] = {t = the table behind it, what = its name in
-- messages, fields = the fields a reader may ask for and get nil (else t's own keys, never
-- nil), on_read = called with each key read}. One metatable serves every proxy, so making a
-- proxy costs two tables and no closures.
-- A key that the table behind a view lacks: nil for a number or a listed field, else an
-- error naming the view's fields (called as a tail call: the error's level is the reader's).
local function missing(i, t, k)
  if type(k) == "number" then return nil end
  local fields = i.fields
  if fields then
    for n = 1, #fields do if fields[n] == k then return nil end end
  end
  -- the sorted names for the error message are only made when there is an error
  unknown(i.what, k, fields or sorted_keys(t))
end
local function ro_index(proxy, k)
  local i = ro[proxy]
  if i.on_read then i.on_read(k) end
  local t = i.t
  local v = t[k]
  if v ~= nil then return v end
  return missing(i, t, k)
end
local function ro_next(proxy, k)
  local i = ro[proxy]
  if not i then error(tr("pairs: forventede en skrivebeskyttet tabel", "pairs: expected a read-only table"), 2) end
  return next(i.t, k)
end
local RO_MT = {
  __index = ro_index,
  __newindex = function(proxy)
    error(sfmt(tr("%s kan kun læses", "%s is read-only"), ro[proxy].what), 2)
  end,
  -- an iterator that never hands out 't' itself: pairs(ctx) must not be a way in. It keeps
  -- no state of its own (the proxy and the key are its arguments), so an iterator kept by a
  -- rule between goals carries nothing from one goal to the next (core/keep.h).
  __pairs = function(proxy) return ro_next, proxy, nil end,
  __len = function(proxy) return #ro[proxy].t end,
  __metatable = false,
}

-- A read-only view of 't'. 'fields' lists every field that may be read (absent ones give
-- nil); anything else is an error with a suggestion, so a typo never reads as "no data".
local function readonly(t, what, fields, on_read)
  local proxy = setmetatable({}, RO_MT)
  ro[proxy] = {t = t, what = what, fields = fields, on_read = on_read}
  return proxy
end

-- A read-only view of a table that only the view holds (nothing else reads or writes 't'),
-- without on_read: reads go to 't' itself through the view's own metatable (__index = t: no Lua
-- call per read, which the shared RO_MT's ro_index costs), and only a key that 't' lacks
-- reaches ro_miss, through the metatable t is given, with the same nil or error as ro_index.
-- Made once per state (the libraries) or per partnership (ctx, series): a view costs a
-- metatable of its own.
local behind = setmetatable({}, {__mode = "k"}) -- t -> its view's ro entry
local function ro_miss(t, k) return missing(behind[t], t, k) end
local MISS_MT = {__index = ro_miss, __metatable = false}
local function readonly_own(t, what, fields)
  local proxy = setmetatable({}, {__index = t, __newindex = RO_MT.__newindex,
    __pairs = RO_MT.__pairs, __len = RO_MT.__len, __metatable = false})
  local i = {t = t, what = what, fields = fields}
  ro[proxy] = i
  behind[t] = i
  setmetatable(t, MISS_MT)
  return proxy
end

local function ro_list(t, what)
  local copy = {}
  for i, v in ipairs(t or {}) do copy[i] = v end
  return readonly(copy, what, {})
end

-- ---- sources -------------------------------------------------------------------------
-- A value a rule reads becomes a source: its node's number 'i' (core/views.c) goes with what
-- it was read as (W_*, the order of enum src_what in core/views.c) to the data's 'rec', a C
-- function that keeps the pair in the goal's buffer; its place and text are made in C when
-- the result is built. Each view takes 'rec' from its own data (make_ctx), so a view of one
-- partnership never records into another's; no rule can reach 'rec' (it is an upvalue here).
local W_VALUE, W_SAMPLE, W_SIG_RANGE, W_SIG_YEAR, W_CRIT, W_DUE, W_DONE, W_START, W_END,
      W_STATUS, W_FINANCING, W_PARTNERS, W_BASELINE, W_POPULATION, W_BUDGET, W_CHANGE =
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
