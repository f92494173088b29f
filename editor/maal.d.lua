---@meta maal
-- Type definitions of what a maal rule sees, for the Lua language server (LuaLS, the "Lua"
-- extension of VS Code and other editors): completion, hover help and type checks in
-- rules/*.lua. Not loaded by maal itself. `maal init` and `maal new rule` write a
-- .luarc.json that points the editor here; docs/rules.md is the reference.

---@alias maal.Verdict "pass"|"fail"|"info"|"nodata"
---@alias maal.Unit "count"|"per_1000"|"percent"|"pp"|"kr"|"number"
---@alias maal.Op "<="|"<"|">="|">"|"=="
---@alias maal.Scope "area"|"district"|"city"
---@alias maal.Kind "survey"|"crime"|"other"
---@alias maal.Text string|{da: string, en?: string}

---What `evaluate` returns. Only `verdict` is required; without `message` maal writes one.
---@class maal.Result
---@field verdict maal.Verdict
---@field message? maal.Text the sentence that explains the verdict (at most 4096 bytes)
---@field actual? number the value measured
---@field target? number the value it is compared with
---@field op? maal.Op how it is compared
---@field baseline? number the reference value of a year
---@field baseline_year? integer
---@field change? number actual - baseline (use maal.change)
---@field unit? maal.Unit
---@field numerator? number for a share: how many
---@field denominator? number for a share: of how many
---@field significance? maal.Text
---@field year? integer the data year the verdict is about

---A parameter's schema: a type name or a table.
---@class maal.ParamSpec
---@field type? "string"|"number"|"integer"|"boolean"|"year"|"list"|"table"
---@field required? boolean
---@field default? any
---@field enum? any[]

---What a rule file returns.
---@class maal.Rule
---@field evaluate fun(ctx: maal.Ctx, params: table): maal.Result
---@field params? table<string, maal.ParamSpec|string>
---@field id? string
---@field title? maal.Text
---@field description? maal.Text

---@class maal.Period
---@field from integer
---@field to integer

---@class maal.Baselines
---@field survey? integer
---@field crime? integer
---@field other? integer

---@class maal.Partnership
---@field id string
---@field name string
---@field area? string
---@field district? string
---@field source? string
---@field period maal.Period
---@field partners string[]
---@field baselines maal.Baselines

---A data series (`ctx.series(id)`). Call its methods with ':' (s:value(2022)).
---@class maal.Series
---@field id string
---@field name string
---@field kind maal.Kind
---@field unit maal.Unit
---@field source? string
local Series = {}
---The value in `year`, or nil.
---@param year integer
---@param scope? maal.Scope default "area"
---@return number|nil
function Series:value(year, scope) end
---The latest value at most `maxyear` (default: the file's latest year; pass ctx.year).
---@param maxyear? integer
---@param scope? maal.Scope
---@return integer|nil year
---@return number value
function Series:latest(maxyear, scope) end
---@param scope? maal.Scope
---@return integer[]
function Series:years(scope) end
---The survey's sample size (respondents), or nil.
---@param year integer
---@param scope? maal.Scope
---@return integer|nil
function Series:sample(year, scope) end
---@param scope maal.Scope
---@param from integer
---@param to integer
---@return boolean|nil significant
---@return string|nil note
function Series:significance(scope, from, to) end
---@param scope maal.Scope
---@param year integer
---@return boolean|nil significant
---@return string|nil note
function Series:significance_year(scope, year) end

---A midway status.
---@class maal.Status
---@field year integer
---@field as_planned "yes"|"no"|"partly"
---@field concerns? string nil for 'no'
---@field adjustments? string nil for 'no'
---@field note? string

---A success criterion (`a:criterion(id)`).
---@class maal.Criterion
---@field id string
---@field text string
---@field unit? maal.Unit
---@field target? number
---@field by_year? integer
---@field due? string YYYY-MM-DD
---@field done? string|false YYYY-MM-DD, false for 'done: no'
local Criterion = {}
---@param year integer
---@return number|nil
function Criterion:value(year) end
---@param maxyear? integer
---@return integer|nil year
---@return number value
function Criterion:latest(maxyear) end
---@return integer[]
function Criterion:years() end

---An activity of the safety plan (`ctx.activity(id)`).
---@class maal.Activity
---@field id string
---@field number? integer
---@field name string
---@field focus_area? string
---@field new? boolean
---@field note? string
---@field in_partner_share boolean
---@field responsible string[]
---@field partners string[]
---@field partner_count integer distinct names in responsible and partners
---@field status? maal.Status the latest midway status
---@field criteria string[] ids of its success criteria
---@field line integer
---@field start? integer
---@field end? integer
local Activity = {}
---Whether it runs in `year` (start/end, else the period).
---@param year integer
---@return boolean
function Activity:runs(year) end
---kr. that year, "?" when not decided yet, or nil.
---@param year integer
---@return number|"?"|nil
function Activity:financing(year) end
---@param id string
---@return maal.Criterion
function Activity:criterion(id) end
---The status of `year` (with one status a year in the data), or nil.
---@param year integer
---@return maal.Status|nil
function Activity:status_for(year) end

---The data a rule reads, read-only.
---@class maal.Ctx
---@field year integer the evaluation year
---@field lang "da"|"en"
---@field latest_year integer
---@field partnership maal.Partnership
local Ctx = {}
---@param id string
---@return maal.Series
function Ctx.series(id) end
---@param id string
---@return boolean
function Ctx.has_series(id) end
---@param kind maal.Kind
---@return integer|nil
function Ctx.baseline(kind) end
---@param year integer
---@return number|nil
function Ctx.population(year) end
---@param year integer
---@return number|nil
function Ctx.budget(year) end
---@param kind maal.Kind|maal.Series
---@param y1 integer
---@param y2 integer
---@param scope? maal.Scope "area" (default); "city" and "district" are always comparable
---@return boolean ok
---@return string|nil note
---@return integer|nil year
function Ctx.comparable(kind, y1, y2, scope) end
---@param id string
---@return maal.Activity
function Ctx.activity(id) end
---@param filter? table
---@return maal.Activity[]
function Ctx.activities(filter) end

---The helper library.
maal = {}
---A number in the report's language (1.970.000 and 24,8 in Danish).
---@param x number
---@param decimals? integer
---@return string
function maal.fmt(x, decimals) end
---`en` in an English report, else `da`.
---@param da string
---@param en? string
---@return string
function maal.msg(da, en) end
maal.tr = maal.msg
---a - b rounded to 1e-9, or nil.
---@param a number
---@param b number
---@return number|nil
function maal.change(a, b) end
---+4, −21, 0
---@param x number
---@param decimals? integer
---@return string
function maal.signed(x, decimals) end
---@param a number
---@param op maal.Op
---@param b number
---@return boolean
function maal.compare(a, op, b) end
---26 %, 18,7 pr. 1000 indb., 1.970.000 kr., 5 pct.-point
---@param x number
---@param unit? maal.Unit
---@param decimals? integer
---@return string
function maal.with_unit(x, unit, decimals) end
---området, bydelen, hele byen (the area, the district, the city)
---@param scope maal.Scope
---@return string
function maal.scope_name(scope) end
---højst, mindst, under, over
---@param op maal.Op
---@return string
function maal.opword(op) end
---The two-proportion z-test: z and the two-sided p-value, or nil.
---@param p1 number percent
---@param n1 integer
---@param p2 number percent
---@param n2 integer
---@return number|nil z
---@return number p
function maal.ztest(p1, n1, p2, n2) end
---@param t? maal.Result|table
---@return maal.Result
function maal.pass(t) end
---@param t? maal.Result|table
---@return maal.Result
function maal.fail(t) end
---@param t? maal.Result|table
---@return maal.Result
function maal.info(t) end
---@param message maal.Text
---@param t? maal.Result|table
---@return maal.Result
function maal.nodata(message, t) end
---@param ok boolean
---@param t? maal.Result|table
---@return maal.Result
function maal.verdict(ok, t) end

---The standard rules' building blocks (what rules/*.lua share), not the public library.
maal.std = {}

---What a goal measures, from p.series (+ p.scope) or p.activity + p.criterion.
---@param ctx maal.Ctx
---@param p table
---@return {label: string, unit: maal.Unit, kind: maal.Kind, series?: maal.Series, latest: fun(maxyear?: integer): integer|nil, number, value: fun(year: integer): number|nil}
function maal.std.subject(ctx, p) end
---The core of at_least, at_most and range.
---@param ctx maal.Ctx
---@param p table
---@param test fun(value: number): boolean
---@param want string|fun(unit: maal.Unit): string the target's words, or a function of the subject's unit that makes them
---@param extra? table
---@return maal.Result
function maal.std.target_check(ctx, p, test, want, extra) end
---The core of at_most_baseline (dir = -1) and at_least_baseline (dir = 1).
---@param ctx maal.Ctx
---@param p table
---@param dir integer
---@return maal.Result
function maal.std.baseline_check(ctx, p, dir) end
---The core of annual_decrease (dir = -1) and annual_increase (dir = 1).
---@param ctx maal.Ctx
---@param p table
---@param dir integer
---@return maal.Result
function maal.std.annual(ctx, p, dir) end
---monitor's message: "name: value in year" and, with a base value, "against base in base_year (change)".
---@param name string
---@param value number
---@param unit? maal.Unit
---@param year integer
---@param base? number
---@param base_year? integer
---@param change? number
---@return string
function maal.std.monitor_message(name, value, unit, year, base, base_year, change) end
---string.format(maal.msg(da, en), ...): a template of %s, %d and %% written in C, the rest by string.format.
---@param da string
---@param en? string
---@return string
function maal.std.say(da, en, ...) end
---The target words of at_least/at_most ("at least 40") or, with op "range", of range ("25–30"),
---with the unit when given ("at most 25 %", "14,000–15,000 DKK").
---@param op string
---@param a number
---@param b? number
---@param unit? maal.Unit
---@return string
function maal.std.want(op, a, b, unit) end
---share_of_activities' message (see rules/share_of_activities.lua).
---@return string
function maal.std.share_message(k, n, pct, min_partners, threshold, year, cn, cc, bn, bc, nb, later) end
---activities_on_track's message (see rules/activities_on_track.lua).
---@return string
function maal.std.on_track_message(no, on, op, n, concerns, flagged) end
---budget_balance's message (see rules/budget_balance.lua).
---@return string
function maal.std.budget_message(ok, rows, sum, stated, diff) end
---Old names of maal.std's functions, kept so rule files written for them keep working.
maal.subject, maal.target_check, maal.baseline_check, maal.annual =
  maal.std.subject, maal.std.target_check, maal.std.baseline_check, maal.std.annual

---Helper code from NAME.lua in the rule's own folder.
---@param name string
---@return any
function require(name) end
