check tests/e2e/data/broken.yaml --compare tests/e2e/data/broken-prev.json
