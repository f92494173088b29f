check examples/urbanplanen-2018-2021/partnership.yaml --format json
