validate examples/*/partnership.yaml
