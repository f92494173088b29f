check tests/e2e/data/tingbjerg-revised.yaml --year 2022 --compare tests/e2e/tingbjerg-2022-json.out --format github
