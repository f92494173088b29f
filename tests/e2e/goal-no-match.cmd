check examples/tingbjerg-husum-2021-2024/partnership.yaml --goal no-such-goal
