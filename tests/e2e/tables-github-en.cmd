check tests/e2e/tables/partnership.yaml --year 2021 --lang en --format github
