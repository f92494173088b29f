# plugins: the native modules of the plugins in plugins/ (plugins/*/NAME.so, git-ignored).
#   make plugins       builds plugins/stats/stats.so from plugins/stats/stats.c
# A native module is loaded only from a folder given with --plugin DIR (docs/rules.md); the
# script suite tests/plugins/run.sh (part of 'make check') needs it.
PLUGIN_CFLAGS := -shared -fPIC -std=c11 -Wall -Wextra -Werror
PLUGIN_SOS    := plugins/stats/stats.so

.PHONY: plugins
plugins: $(PLUGIN_SOS)

all: plugins
check: plugins

plugins/stats/stats.so: plugins/stats/stats.c include/maal_plugin.h | $(NEED_DEPS)
	@echo "  CC-SO   $@"
	@$(CC) $(PLUGIN_CFLAGS) $(CFLAGS) -Iinclude $$(pkg-config --cflags lua5.4) $< -o $@ -lm
