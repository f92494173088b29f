diff tests/e2e/tingbjerg-2022-json.out tests/e2e/tingbjerg-revised-json.out
