# bench: the benchmark (issue 8; docs/performance.md).
#   make bench         2000 generated files, median of 5 repetitions: the floor (libyaml
#                      events only), maal check --jobs 1 and 2, the Python and Node reference
#                      implementations, one example alone, peak RSS; the verdicts of maal and
#                      both references must agree. Writes $(B)/bench.json.
#   make bench-smoke   the same pipeline once on 20 files (make check runs it through
#                      tests/bench/run.sh); its last line is 'bench: N passed, N failed'.
# BENCH_ARGS goes to tests/bench/bench.py: make bench BENCH_ARGS='--files 500 --reps 3'
# (also --activities, --years, --goals, --seed). Missing dependencies are installed:
# Debian python3-yaml, time, libyaml-dev (and nodejs/npm if there is no node), and the
# pinned npm packages of tests/bench/package-lock.json with npm ci.
BENCH_ARGS ?=
BENCH_CC_FLAGS := -std=c11 -O2 -Wall -Wextra -Werror

.PHONY: bench bench-smoke bench-deps

bench-deps:
	@missing=""; \
	{ python3 -c 'import yaml; yaml.CSafeLoader' || /usr/bin/python3 -c 'import yaml; yaml.CSafeLoader'; } \
	  >/dev/null 2>&1 || missing="$$missing python3-yaml"; \
	[ -x /usr/bin/time ] || missing="$$missing time"; \
	pkg-config --exists yaml-0.1 2>/dev/null || missing="$$missing libyaml-dev pkg-config"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "bench: missing$$missing; installing Debian packages"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || \
	  echo "bench: could not install$$missing"; \
	fi
	@cd tests/bench && \
	if [ -f node_modules/json-rules-engine/package.json ] && [ -f node_modules/js-yaml/package.json ] && \
	   ! [ package-lock.json -nt node_modules/.package-lock.json ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  echo "bench: npm ci in tests/bench"; \
	  npm ci --no-audit --no-fund --loglevel=error || echo "bench: npm ci failed; the Node reference is skipped"; \
	fi

$(B)/bench/floor: tests/bench/floor.c
	@mkdir -p $(@D)
	$(CC) $(BENCH_CC_FLAGS) $$(pkg-config --cflags yaml-0.1) $< $$(pkg-config --libs yaml-0.1) -o $@

bench: bench-deps $(B)/maal $(B)/bench/floor
	@MAAL=$(B)/maal FLOOR=$(B)/bench/floor B=$(B) bash tests/bench/run.sh --full $(BENCH_ARGS)

bench-smoke: bench-deps $(B)/maal $(B)/bench/floor
	@MAAL=$(B)/maal FLOOR=$(B)/bench/floor B=$(B) bash tests/bench/run.sh --smoke $(BENCH_ARGS)
