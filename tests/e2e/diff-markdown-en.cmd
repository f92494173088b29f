diff tests/e2e/data/old.json tests/e2e/data/new.json --format markdown --lang en
