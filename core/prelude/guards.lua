-- ---- the sandbox's base functions ----------------------------------------------------
local function guarded_setmetatable(t, mt)
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
    error(tr("setmetatable: '__gc' (finalizere) er ikke tilladt i regler",
      "setmetatable: '__gc' (finalizers) is not allowed in rules"), 2)
  end
  if ro[t] then error(tr("ctx kan kun læses", "ctx is read-only"), 2) end
  return setmetatable(t, mt)
end

local function guarded_rawset(t, k, v)
  if ro[t] then error(tr("ctx kan kun læses", "ctx is read-only"), 2) end
  return rawset(t, k, v)
end

-- C functions are not interrupted by the instruction hook, so each one that can loop long
-- on small input is guarded here: refuse the call when its work could pass the time limit.
local MAXCOST = 1e8
local MAXITEMS = 1e7
local MAXBYTES = 4e8
local deadline = C.deadline
local function too_long(name, what, n, level)
  error(sfmt(tr("%s: %s (%s) kan tage længere end tidsgrænsen; afvist",
    "%s: %s (%s) could take longer than the time limit; refused"), name, what,
    C.fmt(n, 0, LANG)), level or 3)
end

-- Every guard below first checks the deadline (C.deadline: the count hook sees the clock only
-- every 1000 instructions, and a loop of guard-approved C calls of 0.3 s each would run on for
-- seconds; a timer's hook waits for the call in flight to end), then reads each argument as the C function will: string functions take
-- a number as its text (string.find(1111, "1?1?x")), and number arguments may be numeric text
-- ("1e18"). A guard that looked only at type() == "number" or "string" was skipped.
local function as_number(x)
  if type(x) == "string" then return tonumber(x) or x end
  return x
end
local function as_text(x)
  if type(x) == "number" then return tostring(x) end
  return x
end

-- The repetitions of a pattern: each *, +, - and ? outside a set, and each %b twice (a
-- balance match scans ahead); an escaped character (%-, %?) and a set's contents are literal.
local function repetitions(p)
  local q, i, n = 0, 1, #p
  while i <= n do
    local c = sbyte(p, i)
    if c == 37 then -- '%': %bxy, or an escaped character or class
      if sbyte(p, i + 1) == 98 then q = q + 2; i = i + 4 else i = i + 2 end
    elseif c == 91 then -- '[': to the ']' that closes the set ('[^]...]' and '[]...]' too)
      i = i + 1
      if sbyte(p, i) == 94 then i = i + 1 end
      if sbyte(p, i) == 93 then i = i + 1 end
      while i <= n and sbyte(p, i) ~= 93 do
        if sbyte(p, i) == 37 then i = i + 1 end
        i = i + 1
      end
      i = i + 1
    else
      if c == 42 or c == 43 or c == 45 or c == 63 then q = q + 1 end
      i = i + 1
    end
  end
  return q
end

-- Patterns backtrack: cost ~ subject length x pattern length x subject length^(repetitions).
local function pattern_guard(name, f)
  return function(s, p, init, plain, ...)
    deadline()
    local st, pt = as_text(s), as_text(p)
    if type(st) == "string" and type(pt) == "string" then
      local n, m = #st, #pt
      local q = 0
      if not (name == "string.find" and plain) then
        q = repetitions(pt)
      end
      local cost = (n + 1) * (m + 1) * (n + 1) ^ q
      if cost > MAXCOST then
        error(sfmt(tr("%s: mønsteret (%d tegn, %d gentagelser) på et emne på %d tegn kan tage "
          .. "længere end tidsgrænsen; afvist", "%s: the pattern (%d characters, %d repetitions) "
          .. "on a subject of %d characters could take longer than the time limit; refused"),
          name, m, q, n), 2)
      end
    end
    return f(s, p, init, plain, ...)
  end
end

-- string.rep of an empty string loops n times without allocating: no memory limit stops it.
-- (A long result is stopped by the memory limit.)
local function guarded_rep(s, n, sep)
  deadline()
  n = as_number(n)
  if type(n) == "number" and n > 0 and n == mfloor(n) and s == "" and (sep == nil or sep == "")
  then return "" end
  return srep(s, n, sep)
end

local function span(name, i, j)
  deadline()
  i, j = as_number(i), as_number(j)
  if type(i) == "number" and type(j) == "number" and j - i > MAXITEMS then
    too_long(name, tr("antal elementer", "the number of items"), j - i, 4)
  end
end

local tinsert_raw, tremove_raw, tmove_raw, tunpack_raw = table.insert, table.remove, table.move,
  table.unpack
-- The table functions loop in C over lengths and indexes that metamethods can fake (a __len
-- that grows between two calls, an __index that is itself a C function): in rules they take
-- plain tables only.
local function plain(name, t)
  if type(t) == "table" and C.has_meta(t) then
    error(sfmt(tr("%s: tabeller med en metatabel er ikke tilladt her", "%s: tables with a metatable are not allowed here"), name), 4)
  end
end
local function guarded_len(name, t)
  deadline()
  plain(name, t)
  local n = #t
  if type(n) ~= "number" or n > MAXITEMS then too_long(name, tr("længden", "the length"), n, 4) end
  return n
end
local guarded_table = {
  concat = function(t, sep, i, j)
    plain("table.concat", t)
    span("table.concat", i or 1, j or guarded_len("table.concat", t))
    return tconcat(t, sep, i, j)
  end,
  insert = function(t, ...) guarded_len("table.insert", t); return tinsert_raw(t, ...) end,
  remove = function(t, ...) guarded_len("table.remove", t); return tremove_raw(t, ...) end,
  move = function(a1, f, e, t, a2)
    plain("table.move", a1)
    plain("table.move", a2)
    span("table.move", f, e)
    return tmove_raw(a1, f, e, t, a2)
  end,
  sort = function(t, comp)
    local n = guarded_len("table.sort", t)
    if n > 1e6 then too_long("table.sort", tr("længden", "the length"), n) end
    -- one comparison of two strings reads both (a C strcmp the hook cannot stop), and each
    -- element is compared about 2 log2(n) times: bound the bytes read, not only the count
    local bytes = 0
    for i = 1, n do
      local v = rawget(t, i)
      if type(v) == "string" then bytes = bytes + #v end
    end
    local levels = 2
    while 2 ^ (levels // 2) < n do levels = levels + 2 end
    if bytes * levels > MAXBYTES then
      too_long("table.sort", tr("byte at sammenligne", "bytes to compare"), bytes * levels)
    end
    -- Lua's sort picks a random pivot (from clock() and time()) once a part of 128 or more
    -- elements splits badly, so equal elements came out in another order on every run: from
    -- 128 on, ties are broken by the elements' places, which makes the order the only one
    if n < 128 then return tsort(t, comp) end
    local lt = comp or function(a, b) return a < b end
    local w = {}
    for i = 1, n do w[i] = {rawget(t, i), i} end
    tsort(w, function(a, b)
      local x, y = a[1], b[1]
      if lt(x, y) then return true end
      if lt(y, x) then return false end
      return a[2] < b[2]
    end)
    for i = 1, n do rawset(t, i, w[i][1]) end
  end,
  unpack = tunpack_raw, -- bounded by the Lua stack: "too many results to unpack"
  pack = table.pack,
}

-- tostring of a table, function or coroutine without '__tostring' is "table: 0x55d0...": the
-- address differs from run to run (and --jobs 1 from --jobs 2), so a message or log with it
-- would make the same data give another report, and it tells a rule where the heap is. The
-- sandbox's tostring gives "table" (or the '__name'), without the address.
local ADDRESSED = {table = true, ["function"] = true, thread = true, userdata = true}
local function safe_tostring(...)
  if select("#", ...) == 0 then return tostring() end -- Lua's own "bad argument" error
  local v = ...
  local s = tostring(v)
  if ADDRESSED[type(v)] then
    local name = smatch(s, "^(.-): 0x%x+$") or smatch(s, "^(.-): %(nil%)$")
    if name then return name end
  end
  return s
end

-- pairs in Lua visits a table's keys in the order of its hash part, and Lua 5.4 seeds string
-- hashes per state from the time and addresses: a rule that lists its keys in a message gave
-- another order on every run (and between --jobs 1 and 2). The sandbox's pairs visits the
-- keys sorted: numbers, then text (byte order), then false, true, then the rest (in Lua's
-- order). A table with its own '__pairs' keeps it. Stateless like Lua's (the control value is
-- the last key), so an iterator kept between goals carries nothing over; its state holds the
-- table (or the read-only view, never the table behind it), the sorted keys and their places.
local KEYRANK = {number = 1, string = 2, boolean = 3}
local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return (KEYRANK[ta] or 4) < (KEYRANK[tb] or 4) end
  if ta == "number" or ta == "string" then return a < b end
  if ta == "boolean" then return b and not a end
  return false
end
-- t (a plain table or a view) -> {sorted keys, key -> place}, made when a traversal starts;
-- weak, and each goal's tables are its own
local SORTED = setmetatable({}, {__mode = "k"})
local function sort_keys(t, src)
  local keys, place = {}, {}
  for k in next, src do keys[#keys + 1] = k end
  tsort(keys, key_less)
  for p = 1, #keys do place[keys[p]] = p end
  local e = {keys, place}
  SORTED[t] = e
  return e
end
local function sorted_next(t, k)
  local view = ro[t]
  local src = view and view.t or t
  if type(src) ~= "table" then
    error(sfmt(tr("pairs: forventede en tabel, fik %s", "pairs: expected a table, got %s"), type(src)), 2)
  end
  local e = k ~= nil and SORTED[t] or sort_keys(t, src)
  local keys, pos = e[1], 1
  if k ~= nil then
    pos = e[2][k]
    if not pos then error(tr("pairs: ukendt nøgle", "pairs: unknown key"), 2) end
    pos = pos + 1
  end
  for p = pos, #keys do
    local key = keys[p]
    local v = rawget(src, key)
    if v ~= nil then return key, v end
  end
  return nil
end
-- the state is the table itself (for a view: the view, read-only), as Lua's pairs gives
local function sorted_pairs(t)
  local view = ro[t]
  local src = view and view.t
  if not src then
    if type(t) ~= "table" then return pairs(t) end -- Lua's error, at the rule's line (tail call)
    local f, s, c = pairs(t)
    if f ~= next then return f, s, c end
    src = t
  end
  sort_keys(t, src)
  return sorted_next, t, nil
end

local function capped_print(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = safe_tostring((select(i, ...))) end
  local line = tconcat(parts, "\t")
  if loglen >= MAXLOG then return end
  if loglen + #line + 1 > MAXLOG then line = ssub(line, 1, MAXLOG - loglen - 1) end
  logbuf[#logbuf + 1] = line
  loglen = loglen + #line + 1
end

local safe_string = {}
for k, v in pairs(string) do safe_string[k] = v end
safe_string.dump = nil
safe_string.find = pattern_guard("string.find", sfind)
safe_string.match = pattern_guard("string.match", smatch)
safe_string.gmatch = pattern_guard("string.gmatch", sgmatch)
safe_string.gsub = pattern_guard("string.gsub", sgsub)
safe_string.rep = guarded_rep
-- string.format: '%p' is an address, and '%s' of a table tostrings it (above): refused, and
-- converted without the address.
local sformat = string.format
safe_string.format = function(fmt, ...)
  if type(fmt) == "string" and sfind(sgsub(fmt, "%%%%", ""), "%%[-+ #0-9.]*p") then
    error(tr("string.format: '%p' (en adresse) er ikke tilladt i regler",
      "string.format: '%p' (an address) is not allowed in rules"), 2)
  end
  local n = select("#", ...)
  local args = {...}
  for i = 1, n do
    if ADDRESSED[type(args[i])] then args[i] = safe_tostring(args[i]) end
  end
  return sformat(fmt, tunpack_raw(args, 1, n))
end
-- Methods on strings ("x"):find(...) go through the string metatable: point it at the
-- guarded table and lock it.
local smt = getmetatable("")
smt.__index = safe_string
smt.__metatable = false

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

local safe_table, safe_math, safe_utf8 = guarded_table, copy(math), copy(utf8)

-- A message handler runs with hooks off when the error came from the time-limit hook itself,
-- so a handler that loops could never be stopped: after the deadline, handlers are skipped.
local function guarded_xpcall(f, handler, ...)
  if type(handler) ~= "function" then return xpcall(f, handler, ...) end
  return xpcall(f, function(e)
    if C.timed_out() then return e end
    return handler(e)
  end, ...)
end
-- The library proxies are read-only, so one of each serves every rule of this state. Each is
-- a view of a copy of its library that only the view holds (readonly_own): the prelude's own
-- 'maal' and the strings' metatable's index (safe_string) stay plain tables.
local maal_ro = readonly_own(copy(maal), "maal")
local string_ro, table_ro = readonly_own(copy(safe_string), "string"), readonly_own(copy(safe_table), "table")
local math_ro, utf8_ro = readonly_own(copy(safe_math), "math"), readonly_own(copy(safe_utf8), "utf8")

-- A fresh global table for one rule.
function H.env(natives)
  local env = {
    assert = assert, error = error, ipairs = ipairs, next = next, pairs = sorted_pairs, pcall = pcall,
    xpcall = guarded_xpcall, select = select, tonumber = tonumber, tostring = safe_tostring, type = type,
    rawequal = rawequal, rawget = rawget, rawlen = rawlen, rawset = guarded_rawset,
    getmetatable = getmetatable, setmetatable = guarded_setmetatable, print = capped_print,
    _VERSION = _VERSION,
    string = string_ro, table = table_ro, math = math_ro, utf8 = utf8_ro, maal = maal_ro,
  }
  for name, fns in pairs(natives or {}) do
    if env[name] == nil then env[name] = readonly(fns, name) end
  end
  env._G = env
  return env
end

