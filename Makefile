# SPDX-License-Identifier: MIT
# pvboot build.  `make` builds the CLI, the libraries and the s390x blobs;
# `make check` runs every test (normal build, then ASan/UBSan);
# `make demo` runs the end-to-end demo.  Both call scripts/setup.sh first.

VERSION := 0.1.0
SONAME_MAJOR := 0

BUILD ?= build
CC ?= gcc
PKG_CONFIG ?= pkg-config
SAN ?= 0
WERROR ?= 0

CPPFLAGS += -Iinclude -I$(BUILD)/gen -D_GNU_SOURCE -DPVBOOT_VERSION='"$(VERSION)"'
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter \
	  -fPIC -fno-strict-aliasing -pthread
ifeq ($(WERROR),1)
CFLAGS += -Werror
endif
ifeq ($(SAN),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

SSL_LIBS := $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null || echo -lcrypto)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
SECCOMP_LIBS := $(shell $(PKG_CONFIG) --libs libseccomp 2>/dev/null || echo -lseccomp)
LIBS := $(SSL_LIBS) $(SECCOMP_LIBS) -ldl -lpthread -lm

LIB_SRCS := $(sort $(wildcard lib/*/*.c) $(wildcard machine/*.c) \
	$(wildcard machine/*/*.c))
# Executables that run the machine export the libunicorn functions it
# replaces (machine/cpu/interpose.c explains why).
EXE_LDFLAGS := -Wl,--dynamic-list=machine/cpu/interpose.list
CLI_SRCS := $(sort $(wildcard cli/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
TESTLIB_SRCS := $(sort $(wildcard tests/unit/lib/*.c))
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
BENCH_SRCS := $(sort $(wildcard bench/*.c))

# The included makefiles below come before `all:`; plain `make` must still
# build `all` (tests/meta/make_goal.sh).
.DEFAULT_GOAL := all

# The s390x boot code (boot/boot.mk) adds generated C sources with the
# embedded blobs to BOOT_GEN_SRCS.
BOOT_GEN_SRCS :=
-include boot/boot.mk
-include tests/guest/guest.mk

# The JSON Schemas of the commands' JSON output (schema/*.schema.json) are
# embedded into the CLI for --print-schema (tools/bin2c, like the blobs).
SCHEMA_FILES := $(sort $(wildcard schema/*.schema.json))
SCHEMA_GEN_SRC := $(BUILD)/gen/schemas.c

LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o) $(BOOT_GEN_SRCS:%.c=%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o) $(SCHEMA_GEN_SRC:%.c=%.o)
TESTLIB_OBJS := $(TESTLIB_SRCS:%.c=$(BUILD)/obj/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BINS := $(BENCH_SRCS:bench/%.c=$(BUILD)/bench/%)

LIB_A := $(BUILD)/libpvboot.a
LIB_SO := $(BUILD)/libpvboot.so
LIB_SO_V := $(LIB_SO).$(SONAME_MAJOR)
PVBOOT := $(BUILD)/pvboot

.SECONDARY:
.PHONY: all lib cli tests check demo bench bench-quick fuzz clean setup guests \
	install uninstall unit-tests
all: $(PVBOOT) $(LIB_A) $(LIB_SO) $(UNIT_BINS) $(BENCH_BINS) boot

setup:
	@bash scripts/setup.sh

# The Debian s390x guests of the Linux tests and benchmarks, cached by
# scripts/fetch-guests.sh (nothing is downloaded while the cache is fresh).
# Without them those tests skip, or fail when CI=true.  IBM's boot loaders
# (scripts/fetch-ibm-tools.sh) come the same way, for tests/scenario/ibm_tools.sh.
guests: setup
	@bash scripts/fetch-guests.sh -q || \
		echo "make: the Linux guests are unavailable; their tests skip (fail under CI)" >&2
	@bash scripts/fetch-ibm-tools.sh -q || \
		echo "make: IBM's loaders are unavailable; ibm_tools skips (fails under CI)" >&2

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB_A): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIB_SO_V): $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,libpvboot.so.$(SONAME_MAJOR) $(LDFLAGS) -o $@ $^ $(LIBS)

$(LIB_SO): $(LIB_SO_V)
	ln -sf $(notdir $<) $@

$(PVBOOT): $(CLI_OBJS) $(LIB_A) machine/cpu/interpose.list
	$(CC) $(LDFLAGS) $(EXE_LDFLAGS) -o $@ $(CLI_OBJS) $(LIB_A) $(LIBS)

# pv_schema_<name> for schema/<name>.schema.json (cli/schema.c)
$(SCHEMA_GEN_SRC): $(BUILD)/tools/bin2c $(SCHEMA_FILES)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/bin2c $@ $(foreach f,$(SCHEMA_FILES),\
		pv_schema_$(notdir $(f:.schema.json=))=$(f))

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TESTLIB_OBJS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(EXE_LDFLAGS) -o $@ $< $(TESTLIB_OBJS) $(LIB_A) $(CMOCKA_LIBS) $(LIBS)

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(EXE_LDFLAGS) -o $@ $< $(LIB_A) $(LIBS)

unit-tests: $(UNIT_BINS)

# ---- fuzzing (clang + libFuzzer) -------------------------------------------
FUZZ_BUILD := $(BUILD)-fuzz
FUZZ_CFLAGS := -O1 -g -std=gnu11 -fsanitize=fuzzer-no-link,address,undefined \
	-fno-omit-frame-pointer -Iinclude -I$(BUILD)/gen -D_GNU_SOURCE -pthread \
	-DPVBOOT_VERSION='"$(VERSION)"'
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_BUILD)/obj/%.o) $(BOOT_GEN_SRCS:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_SECONDS ?= 60

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/obj/$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/%: tests/fuzz/%.c $(FUZZ_LIB_OBJS)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $(EXE_LDFLAGS) -o $@ $< $(FUZZ_LIB_OBJS) $(LIBS)

# fuzz_cli: the CLI's objects with main() renamed; the first step of each
# command after option parsing is replaced by a failing stub (--wrap), so
# only parsing runs (tests/fuzz/fuzz_cli.c)
FUZZ_CLI_OBJS := $(CLI_SRCS:%.c=$(FUZZ_BUILD)/obj/cli-main/%.o) \
	$(FUZZ_BUILD)/obj/$(SCHEMA_GEN_SRC:.c=.o)
FUZZ_CLI_WRAP := pv_cli_register create_ctx_build pv_image_open \
	util_read_file pv_machine_new pv_testpki_generate
comma := ,

$(FUZZ_BUILD)/obj/cli-main/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -Dmain=pvboot_cli_main -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/fuzz_cli: tests/fuzz/fuzz_cli.c $(FUZZ_CLI_OBJS) $(FUZZ_LIB_OBJS)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $(EXE_LDFLAGS) \
		$(patsubst %,-Wl$(comma)--wrap=%,$(FUZZ_CLI_WRAP)) -o $@ $< \
		$(FUZZ_CLI_OBJS) $(FUZZ_LIB_OBJS) $(LIBS)

fuzz-build: $(FUZZ_BINS)
fuzz: fuzz-build
	@bash tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# ---- tests -----------------------------------------------------------------
# `make check`: build everything, run unit + scenario tests, then the unit
# tests again under ASan+UBSan and a short run of every fuzz target.  The
# last line is "N passed, N failed".
CHECK_FUZZ_SECONDS ?= 4
# Tests build with -Werror: a warning fails `make check` (and so CI).
CHECK_WERROR ?= 1
check: setup guests
	@$(MAKE) --no-print-directory WERROR=$(CHECK_WERROR) all
	@$(MAKE) --no-print-directory BUILD=$(BUILD)-san SAN=1 WERROR=$(CHECK_WERROR) unit-tests $(BUILD)-san/pvboot
	@$(MAKE) --no-print-directory fuzz-build
	@bash tests/run.sh --build $(BUILD) --san-build $(BUILD)-san \
		--fuzz-build $(FUZZ_BUILD) --fuzz-seconds $(CHECK_FUZZ_SECONDS)

# `make guestfuzz N=100000`: a long run of the guest fuzzer under the
# ASan+UBSan pvboot (tests/guestfuzz/README.md; make check runs 30 s
# of it); GUESTFUZZ_ARGS="--avoid sck-ex --timeout 0.5 --base 1 ..." adds
# options, the results go to a directory the run names.
N ?= 1000
GUESTFUZZ_ARGS ?=
.PHONY: guestfuzz
guestfuzz: setup
	@$(MAKE) --no-print-directory BUILD=$(BUILD)-san SAN=1 $(BUILD)-san/pvboot
	@python3 tests/guestfuzz/guestfuzz.py run --pvboot $(BUILD)-san/pvboot \
		--count $(N) $(GUESTFUZZ_ARGS)

# `make mutate`: break one check at a time in a scratch copy of the tree,
# rebuild, run its tests, print caught/survived (tests/mutate/; not part
# of `make check`).  MUTATE_ARGS="--only NAME --worktree ..." selects.
.PHONY: mutate
mutate: setup
	@python3 tests/mutate/mutate.py $(MUTATE_ARGS)

demo: setup
	@$(MAKE) --no-print-directory all
	@bash scripts/demo.sh $(BUILD)

bench: all compute-guest guests
	@bash bench/run.sh $(BUILD) full

bench-quick: all
	@bash bench/run.sh $(BUILD) quick

clean:
	rm -rf $(BUILD) $(BUILD)-san $(FUZZ_BUILD)

-include $(shell find $(BUILD)/obj $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)

# ---- install ---------------------------------------------------------------
# `make install` / `make uninstall`, with PREFIX, DESTDIR and the directories
# below.  Installs pvboot and a genprotimg link to it, libpvboot.a,
# libpvboot.so.$(VERSION) with its soname link libpvboot.so.$(SONAME_MAJOR)
# and the link libpvboot.so, the public headers, libpvboot.pc, the man pages
# (genprotimg.1 links to pvboot-create.1), the bash completion (pvboot and
# genprotimg), the JSON Schemas and the test kernel (DATADIR/pvboot).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
COMPLETIONDIR ?= $(DATADIR)/bash-completion/completions
DESTDIR ?=
INSTALL ?= install

LIB_SO_FULL := libpvboot.so.$(VERSION)
MAN_PAGES := $(sort $(wildcard man/*.1))
PKGDATA := $(DATADIR)/pvboot

# Paths inside PREFIX are written relative to ${prefix}, so that
# `pkg-config --define-prefix` can relocate the installed file.
pc_path = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))

# Written on every make run that needs it (the directories come from the
# command line), but replaced only when the text changed.
$(BUILD)/libpvboot.pc: libpvboot.pc.in FORCE
	@mkdir -p $(dir $@)
	@sed -e 's|@PREFIX@|$(PREFIX)|g' \
	     -e 's|@LIBDIR@|$(call pc_path,$(LIBDIR))|g' \
	     -e 's|@INCLUDEDIR@|$(call pc_path,$(INCLUDEDIR))|g' \
	     -e 's|@VERSION@|$(VERSION)|g' $< >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

.PHONY: FORCE
FORCE:

install: $(PVBOOT) $(LIB_A) $(LIB_SO_V) $(BUILD)/libpvboot.pc \
		$(BOOT_DIR)/testkernel.bin
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(INCLUDEDIR)/pvboot $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(COMPLETIONDIR) $(DESTDIR)$(PKGDATA)
	$(INSTALL) -m 0755 $(PVBOOT) $(DESTDIR)$(BINDIR)/pvboot
	ln -sf pvboot $(DESTDIR)$(BINDIR)/genprotimg
	$(INSTALL) -m 0644 $(LIB_A) $(DESTDIR)$(LIBDIR)/libpvboot.a
	$(INSTALL) -m 0755 $(LIB_SO_V) $(DESTDIR)$(LIBDIR)/$(LIB_SO_FULL)
	ln -sf $(LIB_SO_FULL) $(DESTDIR)$(LIBDIR)/libpvboot.so.$(SONAME_MAJOR)
	ln -sf libpvboot.so.$(SONAME_MAJOR) $(DESTDIR)$(LIBDIR)/libpvboot.so
	$(INSTALL) -m 0644 include/pvboot/*.h $(DESTDIR)$(INCLUDEDIR)/pvboot/
	$(INSTALL) -m 0644 $(BUILD)/libpvboot.pc \
		$(DESTDIR)$(LIBDIR)/pkgconfig/libpvboot.pc
	$(INSTALL) -m 0644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man1/
	ln -sf pvboot-create.1 $(DESTDIR)$(MANDIR)/man1/genprotimg.1
	$(INSTALL) -m 0644 completion/pvboot.bash $(DESTDIR)$(COMPLETIONDIR)/pvboot
	ln -sf pvboot $(DESTDIR)$(COMPLETIONDIR)/genprotimg
	$(INSTALL) -m 0644 $(SCHEMA_FILES) $(BOOT_DIR)/testkernel.bin \
		$(DESTDIR)$(PKGDATA)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pvboot $(DESTDIR)$(BINDIR)/genprotimg \
	      $(DESTDIR)$(LIBDIR)/libpvboot.a $(DESTDIR)$(LIBDIR)/libpvboot.so \
	      $(DESTDIR)$(LIBDIR)/libpvboot.so.$(SONAME_MAJOR) \
	      $(DESTDIR)$(LIBDIR)/$(LIB_SO_FULL) \
	      $(DESTDIR)$(LIBDIR)/pkgconfig/libpvboot.pc \
	      $(DESTDIR)$(MANDIR)/man1/genprotimg.1 \
	      $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN_PAGES))) \
	      $(DESTDIR)$(COMPLETIONDIR)/pvboot \
	      $(DESTDIR)$(COMPLETIONDIR)/genprotimg
	rm -rf $(DESTDIR)$(INCLUDEDIR)/pvboot $(DESTDIR)$(PKGDATA)
