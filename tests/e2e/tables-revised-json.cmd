check tests/e2e/tables-revised/partnership.yaml --year 2022 --format json
