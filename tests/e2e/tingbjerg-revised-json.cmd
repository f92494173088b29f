check tests/e2e/data/tingbjerg-revised.yaml --year 2022 --format json
