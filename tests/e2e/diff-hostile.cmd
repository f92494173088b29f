diff tests/e2e/data/hostile-old.json tests/e2e/data/hostile-new.json
