check tests/e2e/tables/partnership.yaml --year 2022 --format markdown
