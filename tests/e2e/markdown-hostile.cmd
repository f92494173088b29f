check tests/e2e/markdown-hostile/partnership.yaml --format markdown
