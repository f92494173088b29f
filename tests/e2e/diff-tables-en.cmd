diff tests/e2e/tables-json.out tests/e2e/tables-revised-json.out --lang en
