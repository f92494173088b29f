check examples/tingbjerg-husum-2021-2024/partnership.yaml --year 2022 --goal indbrud --goal samarbejde --format tap
