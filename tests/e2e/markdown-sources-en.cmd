check examples/amager-2017/partnership.yaml --goal budget-2017 --format markdown --lang en
