check examples/tingbjerg-husum-2021-2024/partnership.yaml -o md=status.md --lang en
