#!/usr/bin/env node
// Validates maal partnership files (data format v1) against docs/maal.schema.json.
//
//   node validate.mjs FILE...                    every FILE must be valid
//   node validate.mjs --expect-invalid FILE...   every FILE must be rejected
//
// Prints "ok FILE" for a file that is valid (or, with --expect-invalid, "ok FILE
// (rejected as expected)" followed by the errors), the errors otherwise, and
// exits 1 if any file did not meet the expectation, 2 on a usage error.
//
// YAML is read with js-yaml's CORE_SCHEMA (YAML 1.2 core, the default of js-yaml 5):
// `yes`/`no` stay strings, dates stay strings, `<<` merge keys are not special.
// Duplicate keys are rejected by js-yaml itself.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import * as yaml from 'js-yaml';

const here = dirname(fileURLToPath(import.meta.url));
const schemaPath = resolve(here, '../../docs/maal.schema.json');

let args = process.argv.slice(2);
let expectInvalid = false;
if (args[0] === '--expect-invalid') {
  expectInvalid = true;
  args = args.slice(1);
}
if (args.length === 0 || args.some((a) => a.startsWith('--'))) {
  console.error('usage: node validate.mjs [--expect-invalid] FILE...');
  process.exit(2);
}

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: true, strictTuples: true });
addFormats(ajv, ['date']);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

function describe(err) {
  let where = err.instancePath === '' ? '/' : err.instancePath;
  if (err.propertyName !== undefined) where += ` key '${err.propertyName}'`;
  let msg = err.message;
  if (err.keyword === 'additionalProperties') msg += `: '${err.params.additionalProperty}'`;
  else if (err.keyword === 'enum') msg += `: ${err.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  else if (err.keyword === 'const') msg += `: ${JSON.stringify(err.params.allowedValue)}`;
  return `${where}: ${msg}`;
}

// Returns a list of error lines; empty when the file is valid.
function check(file) {
  let data;
  try {
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    data = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: file });
  } catch (e) {
    return [`${e.name === 'YAMLException' ? 'YAML' : 'read'} error: ${e.message.split('\n')[0]}`];
  }
  if (validate(data)) return [];
  // A failing branch of an if/then or oneOf/anyOf also reports the combinator itself;
  // the specific errors are printed, the summary lines ("must match \"then\" schema",
  // "property name must be valid") are not.
  const specific = validate.errors.filter((e) => !['if', 'oneOf', 'anyOf', 'propertyNames'].includes(e.keyword));
  const errs = specific.length ? specific : validate.errors;
  return [...new Set(errs.map(describe))];
}

let failed = 0;
for (const file of args) {
  const errors = check(file);
  if (expectInvalid) {
    if (errors.length) {
      console.log(`ok ${file} (rejected as expected)`);
      for (const e of errors) console.log(`  ${e}`);
    } else {
      console.log(`FAIL ${file}: accepted, but it should be rejected`);
      failed++;
    }
  } else if (errors.length) {
    console.log(`FAIL ${file}`);
    for (const e of errors) console.log(`  ${e}`);
    failed++;
  } else {
    console.log(`ok ${file}`);
  }
}
process.exit(failed ? 1 : 0);
