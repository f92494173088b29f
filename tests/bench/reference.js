#!/usr/bin/env node
// Reference implementation of the standard rules' verdicts on Node, for 'make bench'.
//
// Reads partnership files (data format v1) with js-yaml and decides each goal's verdict with
// json-rules-engine: JavaScript extracts the facts a rule of rules/*.lua looks at (the latest
// year <= the evaluation year, the values it compares, whether an area change lies between,
// ...) and each standard rule's decision is a list of json-rules-engine rules, highest
// priority first; the verdict is the event of the highest-priority rule whose conditions
// hold (the order of the 'return maal.nodata(...)' lines in the Lua rule). The year is
// maal's default: the file's latest year of any series or criterion value,
// budget total or midway status, else period.to (compute_latest in core/model.c).
//
// Prints one line per file and goal: FILE<TAB>GOAL<TAB>VERDICT (FILE<TAB>-<TAB>invalid when
// a file does not load).
// usage: node reference.js FILE... | node reference.js --list LISTFILE
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import jre from 'json-rules-engine';

const { Engine } = jre;
const EPS = 1e-9;

// ---- the decisions, as json-rules-engine rules ---------------------------------------------
const fact = (f, operator, value) => ({ fact: f, operator, value });
const ref = (f) => ({ fact: f });
const ALWAYS = fact('always', 'equal', true);

// A decision list: [[verdict, condition], ...], first match wins.
function decision(name, list) {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator('lteEps', (a, b) => typeof a === 'number' && a <= b + EPS);
  engine.addOperator('gteEps', (a, b) => typeof a === 'number' && a >= b - EPS);
  engine.addOperator('eqEps', (a, b) => typeof a === 'number' && Math.abs(a - b) < EPS);
  list.forEach(([verdict, cond], i) => {
    const conditions = cond.all || cond.any || cond.not ? cond : { all: [cond] };
    engine.addRule({ name: `${name}#${i}`, priority: list.length - i, conditions,
      event: { type: verdict } });
  });
  return engine;
}

const DECISIONS = {
  // maal.baseline_check (core/prelude.lua), for at_most_baseline and at_least_baseline;
  // strict: an unchanged value has not fallen (risen): the signed change decides
  baseline: decision('baseline', [
    ['nodata', fact('baselineYear', 'equal', null)],
    ['nodata', fact('year', 'equal', null)],
    ['nodata', fact('year', 'lessThanInclusive', ref('baselineYear'))],
    ['nodata', fact('baselineValue', 'equal', null)],
    ['nodata', fact('comparable', 'equal', false)],
    ['nodata', { all: [fact('per1000', 'equal', true), fact('populationOk', 'equal', false)] }],
    ['pass', { all: [fact('strict', 'equal', true), fact('directedChange', 'greaterThan', 0)] }],
    ['fail', fact('strict', 'equal', true)],
    ['pass', { all: [fact('direction', 'equal', -1), fact('value', 'lteEps', ref('baseline'))] }],
    ['pass', { all: [fact('direction', 'equal', 1), fact('value', 'gteEps', ref('baseline'))] }],
    ['fail', ALWAYS],
  ]),
  // rules/monitor.lua
  monitor: decision('monitor', [
    ['nodata', fact('year', 'equal', null)],
    ['info', ALWAYS],
  ]),
  // maal.annual (core/prelude.lua), for annual_decrease and annual_increase
  annual: decision('annual', [
    ['nodata', fact('year', 'equal', null)],
    ['nodata', fact('previous', 'equal', null)],
    ['nodata', fact('comparable', 'equal', false)],
    ['pass', { all: [fact('direction', 'equal', -1), fact('value', 'lessThan', ref('previous'))] }],
    ['pass', { all: [fact('direction', 'equal', 1), fact('value', 'greaterThan', ref('previous'))] }],
    ['fail', ALWAYS],
  ]),
  // rules/approach_level.lua
  approach_level: decision('approach_level', [
    ['nodata', fact('baselineYear', 'equal', null)],
    ['nodata', fact('year', 'equal', null)],
    ['nodata', fact('year', 'lessThanInclusive', ref('baselineYear'))],
    // from the target year on, the target year's own value decides
    ['nodata', { all: [fact('evaluationYear', 'greaterThanInclusive', ref('targetYear')),
      fact('year', 'lessThan', ref('targetYear'))] }],
    ['nodata', { any: [fact('reference', 'equal', null), fact('baselineValue', 'equal', null),
      fact('referenceBaseline', 'equal', null)] }],
    ['nodata', fact('comparable', 'equal', false)],
    // close: true (the goal says 'nå'): closed to within the tolerance from the target year
    ['pass', { all: [fact('closing', 'equal', true), fact('sideGap', 'lteEps', ref('tolerance'))] }],
    ['fail', fact('closing', 'equal', true)],
    // otherwise, in every year: the gap shrinks, seen from the side the area starts on
    ['pass', fact('sideGap', 'lessThan', ref('sideBaselineGapEps'))],
    ['fail', ALWAYS],
  ]),
  // maal.target_check (core/prelude.lua) with at_least's, at_most's and range's test
  at_least: targetDecision('at_least', fact('value', 'gteEps', ref('target'))),
  at_most: targetDecision('at_most', fact('value', 'lteEps', ref('target'))),
  range: targetDecision('range', { all: [fact('value', 'gteEps', ref('min')),
    fact('value', 'lteEps', ref('max'))] }),
  // rules/share_of_activities.lua
  share_of_activities: decision('share_of_activities', [
    ['nodata', fact('counted', 'equal', 0)],
    ['pass', fact('percent', 'gteEps', ref('threshold'))],
    ['fail', ALWAYS],
  ]),
  // rules/budget_balance.lua
  budget_balance: decision('budget_balance', [
    ['nodata', fact('later', 'equal', true)],
    ['nodata', fact('stated', 'equal', null)],
    ['nodata', fact('undecidedRows', 'greaterThan', 0)],
    ['pass', fact('sum', 'eqEps', ref('stated'))],
    ['fail', ALWAYS],
  ]),
  // rules/milestone.lua
  milestone: decision('milestone', [
    ['pass', { all: [fact('done', 'notEqual', null), fact('doneDay', 'lessThanInclusive', ref('dueDay'))] }],
    ['fail', fact('done', 'notEqual', null)],
    ['info', fact('year', 'lessThanInclusive', ref('dueYear'))],
    ['fail', fact('doneNo', 'equal', true)],
    ['nodata', ALWAYS],
  ]),
  // rules/stated_sum.lua
  stated_sum: decision('stated_sum', [
    ['pass', fact('sum', 'eqEps', ref('total'))],
    ['fail', ALWAYS],
  ]),
  // rules/activities_on_track.lua
  activities_on_track: decision('activities_on_track', [
    ['nodata', fact('later', 'equal', true)],
    ['nodata', fact('counted', 'equal', 0)],
    ['pass', { all: [fact('maxOffTrack', 'notEqual', null),
      fact('offTrack', 'lessThanInclusive', ref('maxOffTrack'))] }],
    ['fail', fact('maxOffTrack', 'notEqual', null)],
    ['info', ALWAYS],
  ]),
};

function targetDecision(name, met) {
  return decision(name, [
    ['nodata', fact('value', 'equal', null)],
    ['pass', met],
    // by_year still ahead: not met yet is 'info', never 'fail'
    ['info', { all: [fact('byYear', 'notEqual', null), fact('due', 'equal', false)] }],
    ['fail', ALWAYS],
  ]);
}

async function decide(name, facts) {
  const { results } = await DECISIONS[name].run({ always: true, ...facts });
  let best = null;
  for (const r of results) if (!best || r.priority > best.priority) best = r;
  return best ? best.event.type : 'error';
}

// ---- the data, normalised as maal's model does (core/model.c) -------------------------------
class RuleError extends Error {}

const yearmap = (m) => {
  const out = new Map();
  if (m) for (const [y, v] of Object.entries(m)) out.set(Number(y), v);
  return out;
};
const asList = (v) => (v == null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const asBool = (v, d) => (v == null ? d : typeof v === 'boolean' ? v : ['true', 'yes'].includes(String(v)));
const noText = (v) => v == null || v === false || v === 'no' || v === 'false';
const asPlanned = (v) => (v === true ? 'yes' : v === false ? 'no' : v);
const asDate = (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v);
const day = (s) => Number(String(s).replaceAll('-', ''));

function model(doc) {
  const p = doc.partnership;
  const m = {
    from: Number(p.period.from), to: Number(p.period.to),
    changes: (p.area_changes || []).map((c) => ({ year: Number(c.year),
      affects: new Set(c.affects == null ? ['survey'] : c.affects) })),
    population: yearmap(p.population), budget: yearmap(p.budget),
    baselines: Object.fromEntries(Object.entries(p.baselines || {}).map(([k, v]) => [k, Number(v)])),
    series: new Map(), activities: [], actById: new Map(),
  };
  let latest = 0;
  const seeLatest = (ym) => { for (const y of ym.keys()) if (y > latest) latest = y; };
  seeLatest(m.budget);
  for (const s of doc.series || []) {
    const values = {};
    for (const [sc, vm] of Object.entries(s.values || {})) {
      values[sc] = yearmap(vm);
      seeLatest(values[sc]);
    }
    m.series.set(s.id, { kind: s.kind, unit: s.unit, values });
  }
  for (const a of doc.activities || []) {
    const st = a.status;
    const crit = new Map();
    for (const c of a.criteria || []) {
      const doneNo = c.done === false || c.done === 'no' || c.done === 'false';
      const values = yearmap(c.values);
      seeLatest(values);
      crit.set(c.id, { values, due: asDate(c.due) ?? null,
        done: doneNo || c.done == null ? null : asDate(c.done), doneNo });
    }
    const names = new Set([...asList(a.responsible), ...asList(a.partners)]);
    if (st && Number(st.year) > latest) latest = Number(st.year);
    const act = { id: a.id, inPartnerShare: asBool(a.in_partner_share, true), partnerCount: names.size,
      start: a.start == null ? null : Number(a.start), end: a.end == null ? null : Number(a.end),
      financing: yearmap(a.financing), criteria: crit,
      status: st ? { year: Number(st.year), asPlanned: asPlanned(st.as_planned),
        concerns: !noText(st.concerns) } : null };
    m.activities.push(act);
    m.actById.set(a.id, act);
  }
  m.latestYear = latest || m.to;
  m.goals = doc.goals.map((g) => ({ id: g.id, rule: g.rule, params: g.params || {} }));
  return m;
}

// ctx.comparable: an area change moves the partnership's own area, not the city's or the
// district's values
function comparable(m, kind, y1, y2, scope = 'area') {
  if (scope !== 'area') return true;
  if (y1 > y2) [y1, y2] = [y2, y1];
  return !m.changes.some((c) => c.affects.has(kind) && y1 < c.year && c.year <= y2);
}

function latestIn(vm, maxyear) {
  let best = null;
  for (const y of vm.keys()) if (y <= maxyear && (best === null || y > best)) best = y;
  return best;
}
// a:runs(year): 'start'/'end' of the activity, else it runs in every year
const runs = (a, y) => !((a.start !== null && y < a.start) || (a.end !== null && y > a.end));
const get = (vm, y) => (vm.has(y) ? vm.get(y) : null);
const change = (a, b) => Math.floor((a - b) * 1e9 + 0.5) / 1e9;

function seriesOf(m, p) {
  const s = m.series.get(p.series);
  if (!s) throw new RuleError('unknown series');
  return s;
}
const scopeMap = (s, scope) => s.values[scope] || new Map();

// ---- the facts each decision looks at --------------------------------------------------------
const FACTS = {
  baseline(m, p, Y) {
    const s = seriesOf(m, p);
    const vm = scopeMap(s, p.scope ?? 'area');
    const by = p.baseline_year ?? m.baselines[s.kind] ?? null;
    const y = latestIn(vm, Y);
    const f = { baselineYear: by, year: y, baselineValue: by === null ? null : get(vm, by),
      per1000: p.per_1000 === true, populationOk: true, comparable: true, value: null, baseline: null };
    if (by === null || y === null || f.baselineValue === null) return f;
    f.comparable = comparable(m, s.kind, by, y, p.scope ?? 'area');
    let v = vm.get(y), b = f.baselineValue;
    if (f.per1000) {
      const pop = get(m.population, y), popb = get(m.population, by);
      f.populationOk = Boolean(pop) && Boolean(popb);
      if (f.populationOk) { v = v / pop * 1000; b = b / popb * 1000; }
    }
    f.value = v;
    f.baseline = b;
    f.direction = p.direction;
    f.strict = p.strict === true;
    f.directedChange = p.direction * change(v, b);
    return f;
  },
  monitor(m, p, Y) {
    return { year: latestIn(scopeMap(seriesOf(m, p), p.scope ?? 'area'), Y) };
  },
  annual(m, p, Y) {
    if (p.significant_only) throw new RuleError('significant_only is not implemented here (gen.py never sets it)');
    const s = seriesOf(m, p);
    const vm = scopeMap(s, p.scope ?? 'area');
    const y = latestIn(vm, Y);
    const f = { year: y, previous: y === null ? null : get(vm, y - 1), comparable: true,
      value: y === null ? null : vm.get(y), direction: p.direction };
    if (f.previous !== null) f.comparable = comparable(m, s.kind, y - 1, y, p.scope ?? 'area');
    return f;
  },
  approach_level(m, p, Y) {
    const s = seriesOf(m, p);
    const scope = p.scope ?? 'area', reference = p.reference ?? 'city';
    const vm = scopeMap(s, scope), rm = scopeMap(s, reference);
    const by = p.baseline_year ?? m.baselines[s.kind] ?? null;
    const y = latestIn(vm, Y);
    const f = { baselineYear: by, year: y, reference: null, baselineValue: null,
      referenceBaseline: null, comparable: true, reached: null, gap: null, baselineGap: null,
      tolerance: p.tolerance ?? 0, evaluationYear: Y, targetYear: p.target_year };
    if (by === null || y === null) return f;
    f.reference = get(rm, y);
    f.baselineValue = get(vm, by);
    f.referenceBaseline = get(rm, by);
    if (f.reference === null || f.baselineValue === null || f.referenceBaseline === null) return f;
    f.comparable = comparable(m, s.kind, by, y);
    f.gap = change(vm.get(y), f.reference);
    f.baselineGap = change(f.baselineValue, f.referenceBaseline);
    f.reached = y >= p.target_year;
    const side = f.baselineGap < 0 ? -1 : 1; // the side of the reference the area starts on
    f.closing = p.close === true && f.reached;
    f.sideGap = side * f.gap;
    f.sideBaselineGapEps = side * f.baselineGap - EPS;
    return f;
  },
  target(m, p, Y) {
    let vm;
    if (p.series != null) {
      vm = scopeMap(seriesOf(m, p), p.scope ?? 'area');
    } else if (p.activity != null) {
      const a = m.actById.get(p.activity);
      if (!a || !a.criteria.has(p.criterion)) throw new RuleError('unknown activity or criterion');
      vm = a.criteria.get(p.criterion).values;
    } else {
      throw new RuleError('no subject');
    }
    const byYear = p.by_year ?? null;
    const due = byYear !== null && byYear <= Y;
    let value;
    if (due) value = get(vm, byYear);
    else {
      const y = latestIn(vm, Y);
      value = y === null ? null : vm.get(y);
    }
    if (p.min !== undefined && p.max !== undefined && p.min > p.max) throw new RuleError('min > max');
    return { byYear, due, value, target: p.target ?? null, min: p.min ?? null, max: p.max ?? null };
  },
  share_of_activities(m, p, Y) {
    const acts = m.activities.filter((a) => a.inPartnerShare && runs(a, Y));
    const k = acts.filter((a) => a.partnerCount >= (p.min_partners ?? 2)).length;
    return { counted: acts.length, percent: acts.length ? k / acts.length * 100 : null,
      threshold: p.threshold };
  },
  budget_balance(m, p, Y) {
    if (p.year > Y) return { later: true };
    const stated = get(m.budget, p.year);
    let sum = 0, undecided = 0;
    for (const a of m.activities) {
      const f = get(a.financing, p.year);
      if (f === '?') undecided++;
      else if (f !== null) sum += f;
    }
    return { stated, undecidedRows: undecided, sum };
  },
  milestone(m, p, Y) {
    const a = m.actById.get(p.activity);
    if (!a || !a.criteria.has(p.criterion)) throw new RuleError('unknown activity or criterion');
    const c = a.criteria.get(p.criterion);
    if (!c.due) throw new RuleError('no due date');
    let { done, doneNo } = c;
    // done after the evaluation year: as of that year it was not done
    if (done !== null && Number(done.slice(0, 4)) > Y) { done = null; doneNo = true; }
    return { done, doneDay: done === null ? null : day(done), dueDay: day(c.due),
      dueYear: Number(c.due.slice(0, 4)), doneNo, year: Y };
  },
  stated_sum(m, p) {
    // the goal's own params: parts [{name, value}] and the stated total
    const parts = Array.isArray(p.parts) ? p.parts : [];
    if (parts.length === 0) throw new RuleError('empty parts');
    let sum = 0;
    for (const part of parts) {
      if (part === null || typeof part !== 'object' || typeof part.value !== 'number') {
        throw new RuleError('a part without a number');
      }
      sum += part.value;
    }
    return { sum, total: p.total };
  },
  activities_on_track(m, p, Y) {
    let year = p.year ?? null;
    if (year !== null && year > Y) return { later: true };
    if (year === null) {
      for (const a of m.activities) {
        const st = a.status;
        if (st && st.year <= Y && (year === null || st.year > year)) year = st.year;
      }
    }
    let n = 0, flagged = 0;
    for (const a of m.activities) {
      if (a.status && a.status.year === year && runs(a, year)) {
        n++;
        // not as planned, or reports concerns
        if (a.status.asPlanned !== 'yes' || a.status.concerns) flagged++;
      }
    }
    return { counted: n, offTrack: flagged, maxOffTrack: p.max_off_track ?? null };
  },
};

// rule name -> [facts, decision]
const RULES = {
  at_most_baseline: ['baseline', 'baseline', -1],
  at_least_baseline: ['baseline', 'baseline', 1],
  monitor: ['monitor', 'monitor'],
  annual_decrease: ['annual', 'annual', -1],
  annual_increase: ['annual', 'annual', 1],
  approach_level: ['approach_level', 'approach_level'],
  at_least: ['target', 'at_least'],
  at_most: ['target', 'at_most'],
  range: ['target', 'range'],
  share_of_activities: ['share_of_activities', 'share_of_activities'],
  budget_balance: ['budget_balance', 'budget_balance'],
  milestone: ['milestone', 'milestone'],
  activities_on_track: ['activities_on_track', 'activities_on_track'],
  stated_sum: ['stated_sum', 'stated_sum'],
};

async function checkFile(path, out) {
  let m;
  try {
    m = model(load(readFileSync(path, 'utf8')));
  } catch (e) {
    out.push(`${path}\t-\tinvalid\t${String(e.message).replace(/\n/g, ' ').slice(0, 200)}\n`);
    return;
  }
  const Y = m.latestYear;
  for (const g of m.goals) {
    let verdict = 'error';
    const r = RULES[g.rule];
    if (r) {
      try {
        const params = r[2] === undefined ? g.params : { ...g.params, direction: r[2] };
        verdict = await decide(r[1], FACTS[r[0]](m, params, Y));
      } catch (e) {
        if (!(e instanceof RuleError || e instanceof TypeError)) throw e;
      }
    }
    out.push(`${path}\t${g.id}\t${verdict}\n`);
  }
}

async function main(argv) {
  const files = argv[0] === '--list'
    ? readFileSync(argv[1], 'utf8').split('\n').filter(Boolean) : argv;
  const out = [];
  for (const f of files) await checkFile(f, out);
  process.stdout.write(out.join(''));
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e);
  process.exit(2);
});
