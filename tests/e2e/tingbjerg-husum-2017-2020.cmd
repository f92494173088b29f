check examples/tingbjerg-husum-2017-2020/partnership.yaml
