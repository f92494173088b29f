# fuzz: libFuzzer targets (tests/fuzz) for the loader (YAML bytes -> model), CSV tables
# (bytes -> table -> bound values) and for what a rule returns (decode_result and the errors
# around it). Built with clang and -fsanitize=fuzzer,address,undefined into $(B)/fuzz/.
# Use with B=..., e.g.
#   make B=build-fuzz fuzz FUZZ_SECONDS=600   each target in turn for FUZZ_SECONDS s (default 60);
#                                              new inputs are kept in $(FUZZ_CORPUS)/<target>
#   make B=build-fuzz fuzz-smoke              each target ~FUZZ_SMOKE_SECONDS s (default 10) from
#                                              the committed seeds, fixed seed; make check-slow
#                                              runs it through tests/fuzz/run.sh --search
# make check replays the committed corpus and regressions once, without libFuzzer or clang:
# $(B)/tests/replay_<target> (tests/fuzz/replay.c, gcc, ASan + UBSan).
# A crash leaves its input in $(B)/fuzz/<target>-crash-* (or -leak-, -timeout-); replay it with
#   $(B)/fuzz/fuzz_<target> FILE
# clang and its fuzzer runtime (Debian clang, libclang-rt-14-dev) are installed when missing.
FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_CORPUS        ?= $(B)/fuzz-corpus
FUZZ_ARGS          ?=
FUZZ_TARGETS       := load result table
FUZZ_SAN   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# the project's flags, then ours (the later -O wins)
FUZZ_CFLAGS = $(ALL_CFLAGS) -g -O1 $(FUZZ_SAN)
FUZZ_OBJ   := $(patsubst core/%.c,$(B)/fuzz/obj/%.o,$(LIB_SRC)) $(EMBED:%=$(B)/fuzz/obj/%.o)
FUZZ_BIN   := $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_TARGETS))
# the dictionary of each target: YAML for the loader, CSV for tables, Lua for the result
# decoder; the seeds are the committed corpus and the inputs that once found a bug
# (tests/fuzz/regressions)
FUZZ_DICT     = case $$t in load) dict=tests/fuzz/yaml.dict;; table) dict=tests/fuzz/csv.dict;; \
                *) dict=tests/fuzz/lua.dict;; esac; \
                seeds="tests/fuzz/corpus/$$t $$(ls -d tests/fuzz/regressions/$$t 2>/dev/null)";
# per input: 10 s before libFuzzer calls it a hang (a rule stops itself after 0.2 s)
FUZZ_RUN_ARGS := -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1

FUZZ_REPLAY := $(patsubst %,$(B)/tests/replay_%,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-build fuzz-smoke fuzz-deps
.SECONDARY: $(FUZZ_OBJ)

# Install clang and the libFuzzer runtime (Debian) when a fuzzer cannot be linked; says so.
fuzz-deps:
	@probe() { echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return d[0] + n; }' | \
	  $(FUZZ_CC) -x c - -fsanitize=fuzzer,address,undefined -o /dev/null >/dev/null 2>&1; }; \
	if ! probe; then \
	  echo "fuzz: $(FUZZ_CC) cannot link a fuzzer; installing clang libclang-rt-14-dev"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang libclang-rt-14-dev \
	    >/dev/null; \
	  probe || { echo "fuzz: no libFuzzer runtime for $(FUZZ_CC)"; exit 1; }; \
	fi

$(B)/fuzz/obj:
	@mkdir -p $@

$(B)/fuzz/obj/%.o: core/%.c core/*.h include/*.h | $(B)/fuzz/obj deps fuzz-deps
	@echo "  CC-FUZZ $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
$(EMBED:%=$(B)/fuzz/obj/%.o): $(B)/fuzz/obj/%.o: $(B)/%.c | $(B)/fuzz/obj fuzz-deps
	@$(FUZZ_CC) -std=c11 -O1 -c $< -o $@

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	@echo "  LD-FUZZ $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_OBJ) $(LIBS) -o $@

fuzz-build: $(FUZZ_BIN)

# Each target in turn; the first folder collects new inputs, the seeds are only read.
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do $(FUZZ_DICT) \
	  mkdir -p $(FUZZ_CORPUS)/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s, corpus $(FUZZ_CORPUS)/$$t"; \
	  ./$(B)/fuzz/fuzz_$$t $(FUZZ_CORPUS)/$$t $$seeds \
	    -dict=$$dict -max_total_time=$(FUZZ_SECONDS) $(FUZZ_RUN_ARGS) \
	    -artifact_prefix=$(B)/fuzz/$$t- $(FUZZ_ARGS) || exit 1; \
	done

# The seeds plus a short, reproducible search (seed 1); nothing is written outside $(B)/fuzz.
fuzz-smoke: fuzz-build
	@for t in $(FUZZ_TARGETS); do $(FUZZ_DICT) \
	  rm -rf $(B)/fuzz/smoke/$$t; mkdir -p $(B)/fuzz/smoke/$$t; \
	  ./$(B)/fuzz/fuzz_$$t $(B)/fuzz/smoke/$$t $$seeds \
	    -dict=$$dict -seed=1 -max_total_time=$(FUZZ_SMOKE_SECONDS) $(FUZZ_RUN_ARGS) \
	    -artifact_prefix=$(B)/fuzz/$$t- $(FUZZ_ARGS) >$(B)/fuzz/smoke-$$t.log 2>&1; \
	  rc=$$?; \
	  runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $(B)/fuzz/smoke-$$t.log); \
	  if [ $$rc -eq 0 ]; then echo "fuzz-smoke: $$t ok ($${runs:-?} runs)"; \
	  else echo "fuzz-smoke: $$t FAILED (exit $$rc); see $(B)/fuzz/smoke-$$t.log"; \
	    grep -m5 -E 'ERROR|SUMMARY|runtime error|Test unit written' $(B)/fuzz/smoke-$$t.log; \
	    fail=1; fi; \
	done; exit $${fail:-0}

# the corpus replay of 'make check' (tests/fuzz/run.sh)
$(B)/tests/replay_%: tests/fuzz/replay.c tests/fuzz/fuzz_%.c $(B)/libmaal-asan.a | $(B)/tests
	@echo "  CC-TEST $@"
	@$(CC) $(ALL_CFLAGS) $(SAN) -O1 tests/fuzz/replay.c tests/fuzz/fuzz_$*.c $(B)/libmaal-asan.a \
	  $(LIBS) -o $@
check: $(FUZZ_REPLAY)
