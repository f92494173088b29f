check tests/e2e/data/tingbjerg-waivers.yaml --year 2022 --today 2022-06-01 --goal indbrud --goal budget-2021 --format json
