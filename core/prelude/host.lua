-- The host keeps each rule file's main function here (by the serial number of its text) in a
-- reused state; every run of a rule's chunk gets a fresh _ENV upvalue through upvalue_of
-- (core/sandbox.c, maal_sb_run_chunk).
H.rule_fns = {}
-- In a check of params alone (validate), a rule's schema by the same serial: {params = ...}
-- from the first run of its main chunk in this state; no rule code runs for the goals after.
H.rule_schemas = {}
function H.upvalue_of(v) return function() return v end end

local randomseed = math.randomseed
-- Between two goals of one state: nothing of the previous goal's log remains, and
-- math.random starts again from the same seed (its sources are in C: maal_views_sources_reset).
-- The report language is set first: a rule's main chunk sees it (its first run included).
function H.reset(lang)
  LANG = lang or LANG
  logbuf, loglen = {}, 0
  randomseed(0)
end
-- A rule's table kept between goals (core/keep.h), by the serial of the rule's text and the
-- language (core/eval.c, kept_key):
-- {rule, env of its main chunk, metatable of a goal's globals, keeper of the _ENV box,
-- record, anchor}, or false when the rule is not kept (its main chunk runs for every goal).
H.rule_kept = {}
H.kept_bytes = 0 -- what the kept rules' main chunks allocated, in all (core/eval.c)
H.ro = ro -- the read-only views: core/keep.c does not walk them
function H.log() return tconcat(logbuf, "\n") end
-- The report language, after a goal's params were checked (in C, core/params.c) in a check
-- that runs no rule: the next goal's main chunk sees it, as before the check moved to C.
function H.set_lang(lang) LANG = lang or LANG end

return H
