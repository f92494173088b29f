check examples/amager-2017/partnership.yaml
