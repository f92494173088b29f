check tests/e2e/data/tingbjerg-waivers.yaml --year 2022 --today 2023-01-15 --goal indbrud --goal budget-2021 --goal vold-vaaben
