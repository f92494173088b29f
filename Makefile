# maal: build, test, demo and install. 'make' only builds; 'make demo' and 'make check' first
# install the Debian packages that are missing ('make deps').
CC      ?= gcc
PREFIX  ?= /usr/local
PKGS    := lua5.4 yaml-0.1 jansson xlsxwriter
DEB_PKGS := liblua5.4-dev libyaml-dev libcmocka-dev libjansson-dev libxlsxwriter-dev libcsv-dev pkg-config shellcheck \
            cmark-gfm
# libcsv (CSV tables) ships no pkg-config file: found by its header, linked with -lcsv
CSV_LIBS := -lcsv
B       := build

# libxlsxwriter is not linked: core/report_xlsx.c loads it with dlopen when a workbook is asked
# for (with libcrypto, libminizip and libz behind it, it was most of a plain run's start-up), by
# the SONAME of the library the compiler finds, read once when first needed
LINK_PKGS := $(filter-out xlsxwriter,$(PKGS))
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null)
XLSX_SONAME = $(eval XLSX_SONAME := $(shell objdump -p "$$($(CC) -print-file-name=libxlsxwriter.so)" \
                2>/dev/null | sed -n 's/^ *SONAME *//p'))$(XLSX_SONAME)
WARN    := -Wall -Wextra -Wshadow -Werror
CFLAGS  ?= -O2 -g
# The library's objects export only the public API (include/maal.h: MAAL_API).
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) -D_XOPEN_SOURCE=700 -Iinclude -Icore -I$(B) $(PKG_CFLAGS) \
             -DMAAL_BUILDING -fvisibility=hidden \
             -DMAAL_RULES_DIR='"$(abspath rules)"' -DMAAL_INSTALLED_RULES='"$(PREFIX)/share/maal/rules"' \
             -DMAAL_PLUGINS_DIR='"$(abspath plugins)"' \
             -DMAAL_SOURCE_DIR='"$(abspath .)"' -DMAAL_INSTALLED_SHARE='"$(PREFIX)/share/maal"' \
             -DMAAL_XLSX_SONAME='"$(XLSX_SONAME)"'
LIBS     = $(PKG_LIBS) $(CSV_LIBS) -lm -pthread -ldl

LIB_SRC := $(wildcard core/*.c)
# the command line (cli/): options, output files, the worker pool, the rule tools; it links
# libmaal and is the only part that prints or exits
CLI_SRC := $(wildcard cli/*.c)
# the command line is built on the public interface alone: no core/ header (lint-cli-api
# compiles every file of cli/ without -Icore)
CLI_PUBLIC := $(CLI_SRC)
# files compiled in as data: the Lua prelude (text and bytecode), the HTML report's stylesheet,
# the standard rules' text and bytecode
EMBED := prelude_lua prelude_bc report_html_css stdrules_bc
LIB_OBJ := $(patsubst core/%.c,$(B)/obj/%.o,$(LIB_SRC)) $(EMBED:%=$(B)/obj/%.o)
PIC_OBJ := $(patsubst core/%.c,$(B)/pic/%.o,$(LIB_SRC)) $(EMBED:%=$(B)/pic/%.o)
# libmaal.so.$(SOVERSION): the ABI of include/maal.h; bump it when that changes incompatibly
SOVERSION := 0
VERSION := $(shell sed -n 's/^\#define MAAL_VERSION "\(.*\)"/\1/p' include/maal.h)
SONAME := libmaal.so.$(SOVERSION)
ASAN_OBJ := $(patsubst core/%.c,$(B)/asan/%.o,$(LIB_SRC)) $(EMBED:%=$(B)/asan/%.o)
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

.PHONY: all deps demo check check-slow unit e2e install clean bench fuzz lint-man lint-sh \
        lint-cli-api
all: $(B)/maal $(B)/libmaal.a $(B)/$(SONAME)

# Install what pkg-config cannot find (Debian); says so. Runs before the build of 'make demo',
# 'make check' and 'make check-slow' (NEED_DEPS: an order-only prerequisite of every object).
NEED_DEPS := $(if $(filter demo check check-slow deps,$(MAKECMDGOALS)),deps)
deps:
	@missing=""; \
	command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"; \
	for p in $(PKGS) cmocka; do pkg-config --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	echo '#include <csv.h>' | $(CC) -E -x c - >/dev/null 2>&1 || missing="$$missing libcsv"; \
	command -v cmark-gfm >/dev/null 2>&1 || missing="$$missing cmark-gfm"; \
	if [ -n "$$missing" ]; then \
	  echo "maal: missing $$missing; installing Debian packages: $(DEB_PKGS)"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_PKGS) >/dev/null; \
	fi

$(B)/obj $(B)/asan $(B)/pic $(B)/tests:
	@mkdir -p $@

# The Lua prelude (the 'maal' helper library and the ctx accessors) and the HTML report's
# stylesheet are compiled in: core/prelude/*.lua, concatenated in the order of PRELUDE into
# one chunk -> maal_prelude_lua[] (and _len), core/report_html.css -> maal_report_html_css[],
# each NUL-terminated. Each prelude file sees the locals of the files before it.
PRELUDE := $(addprefix core/prelude/,proxies.lua ctx.lua maal.lua std.lua guards.lua \
                                      host.lua)
define embed
	@{ echo '/* generated from $(1) */'; echo '#include <stddef.h>'; \
	   echo 'const char $(2)[] = {'; \
	   cat $(1) | od -An -v -tx1 | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	   echo '0x00};'; echo 'const size_t $(2)_len = sizeof($(2)) - 1;'; } > $@
endef
$(B)/prelude_lua.c: $(PRELUDE) | $(B)/obj
	$(call embed,$(PRELUDE),maal_prelude_lua)
# ... and its bytecode, compiled at build time by mk/luac.c with the Lua it links
# (maal_prelude_bc[]): a run loads it instead of compiling the text (7.5 M instructions, a
# quarter of checking one example); a Lua whose bytecode differs refuses it, and the text is
# compiled then, as before.
$(B)/luac: mk/luac.c | $(B)/obj $(NEED_DEPS)
	@$(CC) -std=c11 $(WARN) $(CFLAGS) $(shell pkg-config --cflags lua5.4 2>/dev/null) $< \
	  $(shell pkg-config --libs lua5.4 2>/dev/null) -o $@
$(B)/prelude.luac: $(PRELUDE) $(B)/luac
	@cat $(PRELUDE) | $(B)/luac =maal > $@
$(B)/prelude_bc.c: $(B)/prelude.luac
	$(call embed,$<,maal_prelude_bc)
# ... and the standard rules' text with their bytecode (maal_stdrules_*, core/stdrules.c): a
# rule file with exactly that text is loaded from it instead of compiled (15 kB of rules: 2 M
# instructions, a seventh of checking one example)
STDRULES := $(sort $(wildcard rules/*.lua))
$(B)/stdrules_bc.c: $(STDRULES) mk/stdrules.sh $(B)/luac
	@sh mk/stdrules.sh $(B)/luac $(STDRULES) > $@.tmp && mv $@.tmp $@
$(B)/report_html_css.c: core/report_html.css | $(B)/obj
	$(call embed,$<,maal_report_html_css)

$(EMBED:%=$(B)/obj/%.o): $(B)/obj/%.o: $(B)/%.c | $(B)/obj
	@$(CC) -std=c11 $(CFLAGS) -fvisibility=hidden -c $< -o $@
$(EMBED:%=$(B)/asan/%.o): $(B)/asan/%.o: $(B)/%.c | $(B)/asan
	@$(CC) -std=c11 $(CFLAGS) -fvisibility=hidden -c $< -o $@
$(EMBED:%=$(B)/pic/%.o): $(B)/pic/%.o: $(B)/%.c | $(B)/pic
	@$(CC) -std=c11 $(CFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

$(B)/obj/%.o: core/%.c core/*.h include/*.h | $(B)/obj $(NEED_DEPS)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@
$(B)/pic/%.o: core/%.c core/*.h include/*.h | $(B)/pic $(NEED_DEPS)
	@echo "  CC-PIC  $<"
	@$(CC) $(ALL_CFLAGS) -fPIC -c $< -o $@
$(B)/asan/%.o: core/%.c core/*.h include/*.h | $(B)/asan $(NEED_DEPS)
	@echo "  CC-ASAN $<"
	@$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c $< -o $@

$(B)/libmaal.a: $(LIB_OBJ)
	@rm -f $@ && ar rcs $@ $^
$(B)/libmaal-asan.a: $(ASAN_OBJ)
	@rm -f $@ && ar rcs $@ $^
# the shared library exports the public API only (nm -D shows maal_* of include/maal.h)
$(B)/$(SONAME): $(PIC_OBJ) core/libmaal.map
	@echo "  LD      $@"
	@$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined -Wl,--version-script,core/libmaal.map \
	  $(PIC_OBJ) $(LIBS) -o $@
	@ln -sf $(SONAME) $(B)/libmaal.so

$(B)/maal: $(CLI_SRC) cli/*.h core/*.h include/*.h $(B)/libmaal.a
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -Icli $(CLI_SRC) $(B)/libmaal.a $(LIBS) -o $@
$(B)/maal-asan: $(CLI_SRC) cli/*.h core/*.h include/*.h $(B)/libmaal-asan.a
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) $(SAN) -O1 -Icli $(CLI_SRC) $(B)/libmaal-asan.a $(LIBS) -o $@

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
$(B)/tests/%: tests/unit/%.c $(B)/libmaal-asan.a | $(B)/tests
	@echo "  CC-TEST $<"
	@$(CC) $(ALL_CFLAGS) $(SAN) -O1 $(shell pkg-config --cflags cmocka) $< $(B)/libmaal-asan.a \
	  $(LIBS) $(shell pkg-config --libs cmocka) -o $@

# test_check runs the command line's check: the CLI's sources are linked in, their main renamed
$(B)/tests/test_check: tests/unit/test_check.c $(CLI_SRC) cli/*.h $(B)/libmaal-asan.a | $(B)/tests
	@echo "  CC-TEST $<"
	@$(CC) $(ALL_CFLAGS) $(SAN) -O1 -Icli -Dmain=maal_cli_main $(shell pkg-config --cflags cmocka) \
	  $< $(CLI_SRC) $(B)/libmaal-asan.a $(LIBS) $(shell pkg-config --libs cmocka) -o $@

demo: all
	@./$(B)/maal check examples/tingbjerg-husum-2021-2024/partnership.yaml --year 2022 \
	  -o text=- -o html=$(B)/tingbjerg-husum-2021-2024.html; \
	  rc=$$?; echo "(exit code $$rc: 1 means some goal failed, as the 2022 report implies)"; \
	  for f in examples/*/partnership.yaml; do n=$$(basename $$(dirname $$f)); \
	    ./$(B)/maal check $$f -o markdown=$(B)/$$n.md -o html=$(B)/$$n.html -o json=$(B)/$$n.json \
	      >/dev/null 2>&1; done; \
	  echo "status reports of every example (HTML, Markdown, JSON): $(B)/<example>.{html,md,json}"

# Every unit-test binary and every tests/*/run.sh, CHECK_JOBS (default 2) at a time; the last
# line is "N passed, N failed, N skipped" (tests/run-suites.sh).
check: all $(B)/maal-asan $(UNIT_BIN) lint-man lint-sh lint-cli-api
	@MAAL=$(B)/maal-asan B=$(B) bash tests/run-suites.sh $(UNIT_BIN)

# The long runs CI does not make: the allocation-fault sweep at every allocation, and a
# fixed-seed libFuzzer run of each fuzz target (tests/check-slow.sh).
check-slow: all $(B)/maal-asan $(B)/tests/test_faults
	@MAAL=$(B)/maal-asan B=$(B) bash tests/check-slow.sh

lint-cli-api:
	@$(CC) -std=c11 $(WARN) -D_XOPEN_SOURCE=700 -fsyntax-only -Iinclude -Icli \
	  $(shell pkg-config --cflags jansson) $(CLI_PUBLIC) && \
	  echo "cli: $(notdir $(CLI_PUBLIC)) use the public interface only"

lint-man:
	@command -v man >/dev/null 2>&1 || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq man-db groff-base >/dev/null; }
	@out=$$(LC_ALL=C.UTF-8 man --warnings -l docs/maal.1 2>&1 >/dev/null); \
	  if [ -n "$$out" ]; then echo "$$out"; echo "docs/maal.1: man page warnings"; exit 1; fi; \
	  echo "man page: docs/maal.1 lints clean"

# every shell script and workflow step of the CI recipes (examples/ci) passes shellcheck
lint-sh:
	@command -v shellcheck >/dev/null 2>&1 || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null; }
	@bash tests/trust/shellcheck-ci.sh examples/ci && echo "shellcheck: examples/ci lints clean"

# make install PREFIX=/usr/local (DESTDIR for staging): the command, the library (static and
# shared, with its headers and maal.pc for pkg-config), the rules, plugins and man page.
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/maal/rules \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(B)/maal $(DESTDIR)$(PREFIX)/bin/maal
	install -m 644 include/maal.h include/maal_plugin.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(B)/libmaal.a $(DESTDIR)$(PREFIX)/lib/libmaal.a
	install -m 755 $(B)/$(SONAME) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libmaal.so
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' maal.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/maal.pc
	install -m 644 rules/*.lua $(DESTDIR)$(PREFIX)/share/maal/rules/
	install -d $(DESTDIR)$(PREFIX)/share/maal/editor
	install -m 644 editor/maal.d.lua $(DESTDIR)$(PREFIX)/share/maal/editor/maal.d.lua
	install -m 644 docs/maal.schema.json $(DESTDIR)$(PREFIX)/share/maal/maal.schema.json
	install -m 644 docs/maal.1 $(DESTDIR)$(PREFIX)/share/man/man1/maal.1
	for p in plugins/*/; do n=$$(basename $$p); \
	  install -d $(DESTDIR)$(PREFIX)/share/maal/plugins/$$n; \
	  cp -R $$p. $(DESTDIR)$(PREFIX)/share/maal/plugins/$$n/; done

clean:
	rm -rf $(B)

# Feature makefiles (html, bench, ...)
-include mk/*.mk
