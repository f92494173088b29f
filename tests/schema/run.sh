#!/usr/bin/env bash
# The JSON Schema (docs/maal.schema.json) against every example and the bad fixtures, with
# ajv on Node (npm packages pinned in package-lock.json, installed here when missing).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "note: node/npm missing; installing Debian's nodejs and npm"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null 2>&1 || true
fi
if [ ! -d tests/schema/node_modules ]; then
    (cd tests/schema && npm ci --silent --no-audit --no-fund >/dev/null 2>&1)
fi
if [ ! -d tests/schema/node_modules ]; then
    not_ok "npm ci in tests/schema failed: cannot validate against the schema"
    summary schema
    exit 1
fi
for f in examples/*/partnership.yaml tests/e2e/tables/partnership.yaml; do
    if out=$(node tests/schema/validate.mjs "$f" 2>&1); then ok "schema accepts $f"; else not_ok "schema rejects $f"; echo "$out" | head -5; fi
done
for f in tests/schema/bad-*.yaml; do
    if out=$(node tests/schema/validate.mjs --expect-invalid "$f" 2>&1); then ok "schema rejects $f"; else not_ok "schema accepts the bad $f"; echo "$out" | head -5; fi
done
# maal and the schema agree on the examples: both accept them
for f in examples/*/partnership.yaml; do
    if "${MAAL:-build/maal}" validate "$f" >/dev/null 2>&1; then ok "maal accepts $f"; else not_ok "maal rejects $f"; fi
done
summary schema
