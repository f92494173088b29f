check tests/e2e/tables-revised/partnership.yaml --year 2022 --compare tests/e2e/tables-json.out --format github
