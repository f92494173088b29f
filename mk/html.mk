# html: browser tooling for the HTML report: chromium (for tests/html), screenshots of every
# example. Included by the Makefile; use with B=..., e.g. 'make B=build-html screenshots'.
CHROMIUM      ?= chromium
CHROMIUM_ARGS := --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
                 --disable-background-networking --disable-component-update --disable-sync \
                 --hide-scrollbars
# chromium has no full-page screenshot on the command line: the window must be tall enough
SHOT_SIZE     ?= 1200,9000
HTML_EXAMPLES := $(wildcard examples/*/partnership.yaml)
HTML_SHOTS    := $(patsubst examples/%/partnership.yaml,$(B)/report-%.png,$(HTML_EXAMPLES))

.PHONY: html-deps screenshots html-test
.PRECIOUS: $(B)/report-%.html

# Install chromium (Debian) when it is missing; says so.
html-deps:
	@if ! command -v $(CHROMIUM) >/dev/null 2>&1; then \
	  echo "maal: $(CHROMIUM) is missing; installing the Debian package chromium"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

screenshots: $(HTML_SHOTS)
	@echo "screenshots of every example's HTML report: $(HTML_SHOTS)"

# maal exits 1 when a goal fails; the report is written all the same.
$(B)/report-%.html: examples/%/partnership.yaml $(B)/maal
	./$(B)/maal check $< --format html -o $@ || [ $$? -eq 1 ]

$(B)/report-%.png: $(B)/report-%.html | html-deps
	@profile=$$(mktemp -d); \
	$(CHROMIUM) $(CHROMIUM_ARGS) --user-data-dir=$$profile --window-size=$(SHOT_SIZE) \
	  --screenshot=$(abspath $@) file://$(abspath $<) >/dev/null 2>&1; rc=$$?; \
	rm -rf $$profile; [ $$rc -eq 0 ] && [ -s $@ ] && echo "wrote $@"

html-test: $(B)/maal html-deps
	MAAL=$(B)/maal bash tests/html/run.sh
