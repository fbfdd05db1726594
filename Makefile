# pmkb - postmortem knowledge base and crash-signature matcher.
# Non-recursive make: each folder adds its sources in its own Makefile.local.
#
#   make            build ./pmkb (and ./pmkb-import, which `pmkb import` runs)
#   make install    PREFIX=/usr/local: bin/pmkb, libexec/pmkb/pmkb-import, man pages,
#                   bash and zsh completion
#   make check      install what is missing, build, run every test, then
#                   again under AddressSanitizer + UndefinedBehaviorSanitizer
#   make demo       install what is missing, build, import the bundled cases,
#                   search, show and match
#   make fuzz-smoke run each fuzz target for a bounded time (clang libFuzzer)
#   make bench      benchmarks (not part of check), see docs/benchmarks.md

all: pmkb

CC  = gcc
CXX = g++
PKGS = sqlite3 xapian-core gmime-3.0 libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# pmkb itself links only these; pmkb-import (mail) links all of PKGS.
LITE_PKGS = sqlite3 xapian-core
LITE_LIBS  := $(shell pkg-config --libs $(LITE_PKGS) 2>/dev/null) -lm
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)
# pmkb-serve (pmkb serve) links these besides PKGS.
SERVE_PKGS = libmicrohttpd jansson
SERVE_LIBS := $(shell pkg-config --libs $(SERVE_PKGS) 2>/dev/null)

WARN = -Wall -Wextra -Werror
OPT ?= -O2 -g
CFLAGS_ALL   = -std=gnu11 $(WARN) $(OPT) $(PKG_CFLAGS) $(SANFLAGS) $(EXTRA_CFLAGS)
CXXFLAGS_ALL = -std=gnu++17 $(WARN) $(OPT) $(PKG_CFLAGS) $(SANFLAGS) $(EXTRA_CFLAGS)
LDLIBS_ALL   = $(PKG_LIBS) -lm

# Where `make install` puts things; pmkb looks for pmkb-import in LIBEXECDIR.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/pmkb
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/pmkb
DATADIR ?= $(PREFIX)/share

# BUILD is the object directory: build/ normally, build-asan/ for sanitizers.
BUILD ?= build
LIBPMKB := $(BUILD)/libpmkb.a

LIB_C_SRC :=
LIB_CXX_SRC :=
CLI_SRC :=
include util/Makefile.local
include sig/Makefile.local
include kb/Makefile.local
include import/Makefile.local
include matcher/Makefile.local
include cli/Makefile.local
include tests/Makefile.local
include fuzz/Makefile.local
include bench/Makefile.local
include serve/Makefile.local

LIB_OBJ := $(LIB_C_SRC:%.c=$(BUILD)/%.o) $(LIB_CXX_SRC:%.cc=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
CLI_LITE_OBJ := $(CLI_LITE_SRC:%.c=$(BUILD)/%.o)
CLI_IMPORT_OBJ := $(CLI_IMPORT_SRC:%.c=$(BUILD)/%.o)
CLI_SERVE_EXEC_OBJ := $(CLI_SERVE_EXEC_SRC:%.c=$(BUILD)/%.o)
SERVE_OBJ := $(SERVE_SRC:%.c=$(BUILD)/%.o)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS_ALL) -MMD -MP -c $< -o $@

$(LIBPMKB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/pmkb: $(CLI_OBJ) $(CLI_LITE_OBJ) $(LIBPMKB)
	$(CXX) $(SANFLAGS) -o $@ $(CLI_OBJ) $(CLI_LITE_OBJ) $(LIBPMKB) $(LITE_LIBS)

$(BUILD)/cli/exec-helper.o: EXTRA_CFLAGS += -DPMKB_LIBEXECDIR='"$(LIBEXECDIR)"'
# Rebuild it when LIBEXECDIR changes (make install PREFIX=...).
$(BUILD)/cli/exec-helper.o: $(BUILD)/libexecdir.stamp
$(BUILD)/libexecdir.stamp: FORCE
	@mkdir -p $(BUILD); echo '$(LIBEXECDIR)' | cmp -s - $@ || echo '$(LIBEXECDIR)' > $@
FORCE:

$(BUILD)/pmkb-import: $(CLI_OBJ) $(CLI_IMPORT_OBJ) $(CLI_SERVE_EXEC_OBJ) $(LIBPMKB)
	$(CXX) $(SANFLAGS) -o $@ $(CLI_OBJ) $(CLI_IMPORT_OBJ) $(CLI_SERVE_EXEC_OBJ) $(LIBPMKB) $(LDLIBS_ALL)

$(BUILD)/pmkb-serve: $(CLI_OBJ) $(CLI_IMPORT_OBJ) $(SERVE_OBJ) $(LIBPMKB)
	$(CXX) $(SANFLAGS) -o $@ $(CLI_OBJ) $(CLI_IMPORT_OBJ) $(SERVE_OBJ) $(LIBPMKB) $(LDLIBS_ALL) $(SERVE_LIBS) -lpthread

pmkb: deps-check $(BUILD)/pmkb $(BUILD)/pmkb-import $(BUILD)/pmkb-serve
	@if [ "$(BUILD)" = build ]; then cp -f build/pmkb pmkb && cp -f build/pmkb-import pmkb-import && cp -f build/pmkb-serve pmkb-serve; fi

# Fail early with the fix when a library is missing.
deps-check:
	@pkg-config --exists $(PKGS) $(SERVE_PKGS) || { echo "pmkb: missing build dependencies; run 'make deps' (or 'make check', which installs them)" >&2; exit 78; }

# Install what is missing on Debian (as root or through sudo); nothing when all is there.
deps:
	@sh scripts/install-deps.sh

asan:
	$(MAKE) BUILD=build-asan SANFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" OPT="-O1 -g" build-asan/pmkb build-asan/pmkb-import build-asan/pmkb-serve unit-bins

check: deps
	$(MAKE) pmkb unit-bins
	$(MAKE) test
	$(MAKE) asan
	$(MAKE) BUILD=build-asan test-asan

# The build's output goes to build/demo-build.log, so the demo shows the
# main job first; a failed build prints the log.
demo: deps
	@mkdir -p build
	@echo "pmkb: building (build/demo-build.log)"
	@$(MAKE) -s pmkb > build/demo-build.log 2>&1 || { cat build/demo-build.log; exit 1; }
	@sh scripts/demo.sh

MAN1 = $(filter-out docs/pmkb-gen.1,$(wildcard docs/*.1))
# Shell completion, written by pmkb from its option tables (cli/commands.c).
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR ?= $(DATADIR)/zsh/site-functions
$(BUILD)/completion/pmkb.bash: $(BUILD)/pmkb
	@mkdir -p $(dir $@)
	$(BUILD)/pmkb completion bash >$@
$(BUILD)/completion/_pmkb: $(BUILD)/pmkb
	@mkdir -p $(dir $@)
	$(BUILD)/pmkb completion zsh >$@

# DESTDIR for packaging. pmkb goes to BINDIR, its mail-import half to LIBEXECDIR.
install: pmkb build/completion/pmkb.bash build/completion/_pmkb
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 build/pmkb $(DESTDIR)$(BINDIR)/pmkb
	install -m 755 build/pmkb-import $(DESTDIR)$(LIBEXECDIR)/pmkb-import
	install -m 755 build/pmkb-serve $(DESTDIR)$(LIBEXECDIR)/pmkb-serve
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 docs/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -d $(DESTDIR)$(DOCDIR)
	install -m 644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/
	install -d $(DESTDIR)$(DATADIR)/pmkb/templates/zh $(DESTDIR)$(DATADIR)/pmkb/templates/en
	install -m 644 data/rules.conf $(DESTDIR)$(DATADIR)/pmkb/rules.conf
	install -m 644 data/templates/zh/*.txt $(DESTDIR)$(DATADIR)/pmkb/templates/zh/
	install -m 644 data/templates/en/*.txt $(DESTDIR)$(DATADIR)/pmkb/templates/en/
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 build/completion/pmkb.bash $(DESTDIR)$(BASHCOMPDIR)/pmkb
	install -m 644 build/completion/_pmkb $(DESTDIR)$(ZSHCOMPDIR)/_pmkb

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pmkb $(DESTDIR)$(LIBEXECDIR)/pmkb-import $(DESTDIR)$(LIBEXECDIR)/pmkb-serve
	-rmdir $(DESTDIR)$(LIBEXECDIR)
	cd $(DESTDIR)$(MANDIR)/man1 && rm -f $(notdir $(MAN1))
	cd $(DESTDIR)$(MANDIR)/man5 && rm -f $(notdir $(wildcard docs/*.5))
	rm -rf $(DESTDIR)$(DOCDIR)
	rm -rf $(DESTDIR)$(DATADIR)/pmkb/templates
	rm -f $(DESTDIR)$(DATADIR)/pmkb/rules.conf
	-rmdir $(DESTDIR)$(DATADIR)/pmkb
	rm -f $(DESTDIR)$(BASHCOMPDIR)/pmkb $(DESTDIR)$(ZSHCOMPDIR)/_pmkb

clean:
	rm -rf build build-asan pmkb pmkb-import pmkb-serve demo-kb

.PHONY: all deps deps-check check asan demo install uninstall clean pmkb

-include $(shell find build build-asan -name '*.d' 2>/dev/null)
