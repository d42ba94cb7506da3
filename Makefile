# storectl: the store platform and its console.
#
#   make            build every binary into bin/
#   make run        install missing packages, build, start the stack, open the console
#   make test       install missing packages, build, run every test on this
#                   build and on the sanitizer build (TEST_SANITIZE=0: this one)
#   make SANITIZE=1 test   only the AddressSanitizer + UndefinedBehaviorSanitizer build
#   make bench      benchmarks
#   make chaos      kills, broker errors and random writes, then checks nothing was lost
#   make install    PREFIX=/usr/local DESTDIR=
#
# Every directory's .c files are found automatically. Each program directory
# has a main.c; every other object goes into one static library, so a program
# links only what it uses. Names are unique across directories by convention
# (module_verb_object).

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
STATE     ?= var

CC        ?= cc
PKGS      := rdkafka libmicrohttpd sqlite3 jansson libcurl ncursesw
CFLAGS    ?= -O2 -g
CFLAGS    += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
             -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-missing-field-initializers \
             -DSTORECTL_VERSION='"$(VERSION)"' -I. \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS    += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

# Quiet by default; V=1 shows every command.
ifeq ($(V),1)
Q         :=
say       := @true
else
Q         := @
say       := @printf '  %-7s %s\n'
endif

ifeq ($(SANITIZE),1)
BUILD     := build/san
OUT       := build/san/bin
CFLAGS    += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=address,undefined
else
BUILD     := build/rel
OUT       := bin
endif

# Code shared by several programs goes into one static library; each program
# links its own directory (main.c and its private modules), any extra
# directories it alone uses, and the library.
LIBDIRS   := common api consumer outbox
SERVICES  := store-svc search-svc ads-svc favorites-svc reviews-svc display-svc
# A service is built once its directory has a main.c (they land one by one).
PROGRAMS  := storectl storectl-broker \
             $(foreach s,$(SERVICES),$(if $(wildcard $(s)/main.c),$(s)))
dir_storectl        := cli
dir_storectl-broker := broker
$(foreach s,$(SERVICES),$(eval dir_$(s) := $(s)))
extra_storectl      := tui screens

objs_of    = $(patsubst %.c,$(BUILD)/%.o,$(wildcard $(addsuffix /*.c,$(1))))
prog_objs  = $(call objs_of,$(dir_$(1)) $(extra_$(1)))

LIBOBJ    := $(call objs_of,$(LIBDIRS))
LIB       := $(BUILD)/libstorectl.a
BINS      := $(PROGRAMS:%=$(OUT)/%)
ALLOBJ    := $(LIBOBJ) $(foreach p,$(PROGRAMS),$(call prog_objs,$(p)))

# Unit tests link every object but the programs' main.o.
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_OBJ  := $(filter-out %/main.o,$(ALLOBJ))

.PHONY: all deps run test unit bench load install uninstall clean
# Keep objects make would otherwise treat as intermediate and delete.
.SECONDARY:
all: $(BINS)

deps:
	@./scripts/install-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(say) CC $<
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIBOBJ)
	@rm -f $@
	$(say) AR $@
	$(Q)$(AR) rcs $@ $^

define program_rule
$(OUT)/$(1): $(call prog_objs,$(1)) $(LIB)
	@mkdir -p $(OUT)
	$$(say) LINK $$@
	$$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach p,$(PROGRAMS),$(eval $(call program_rule,$(p))))

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(UNIT_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# Installing packages first lets `make run` and `make test` work on a fresh
# machine; the script does nothing when everything is there.
run: deps
	@$(MAKE) --no-print-directory all
	./bin/storectl up --state $(STATE)

unit: $(UNIT_BINS)

# make test runs the whole suite twice at once: on this build and on the
# sanitizer build (ASan, UBSan, LeakSanitizer), so CI proves both.
# TEST_SANITIZE=0 runs this build alone; make SANITIZE=1 test, the
# sanitizer build alone. TEST_JOBS scripts run at a time: most of their
# time is spent waiting on consumer groups and timeouts.
ifeq ($(SANITIZE),1)
TEST_SUITES := :$(BUILD):$(OUT)
TEST_JOBS   ?= 2
else ifeq ($(TEST_SANITIZE),0)
TEST_SUITES := :$(BUILD):$(OUT)
TEST_JOBS   ?= 2
else
TEST_SUITES := rel:$(BUILD):$(OUT) san:build/san:build/san/bin
TEST_JOBS   ?= 4
endif

test: deps
	@$(MAKE) --no-print-directory all unit
ifneq ($(SANITIZE),1)
ifneq ($(TEST_SANITIZE),0)
	@$(MAKE) --no-print-directory SANITIZE=1 all unit
endif
endif
	@SUITES="$(TEST_SUITES)" JOBS=$(TEST_JOBS) ./tests/run.sh

# Benchmarks arrive with their own issue; until then the target says so.
bench: deps
	@$(MAKE) --no-print-directory all
	@if [ -x bench/run.sh ]; then ./bench/run.sh; else echo "make bench: no benchmarks yet"; fi

# store-svc under concurrent readers (wrk) and racing writers for LOAD_SECS
# (30): no errors but the expected 412s, RSS flat, p50/p99 printed.
load: deps
	@$(MAKE) --no-print-directory all
	@BIN=$(OUT) ./scripts/store-load.sh

# Chaos (issue 8): scripts/chaos.sh starts a stack, writes from several
# clients while services are killed and the broker fails requests, then
# audits it; CHAOS_SECS (60), CHAOS_CLIENTS, CHAOS_SEED as the script says.
.PHONY: chaos
chaos: deps
	@$(MAKE) --no-print-directory all
	@BIN=$(OUT) ./scripts/chaos.sh

# ---- fuzzing (issue 8; tests/fuzz/README.md) --------------------------------
# libFuzzer targets tests/fuzz/fuzz_NAME.c, built with clang into build/fuzz/
# with AddressSanitizer and UndefinedBehaviorSanitizer. Each links only the
# sources it tests (fuzz_deps_NAME); the demo parser needs the cli objects,
# taken from an archive so only what it uses is linked.
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="store_body ..."]
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   ?= build/fuzz
FUZZ_ALL     := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_CFLAGS  := -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
                -DSTORECTL_VERSION='"$(VERSION)"' -I. \
                -Wall -Wextra -Wno-missing-field-initializers \
                $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
                -fsanitize=fuzzer-no-link,address,undefined \
                -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined
fuzz_obj      = $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(1))
fuzz_deps_store_body   := $(wildcard store-svc/store_validate*.c) store-svc/store.c api/fields.c \
                          common/category.c
fuzz_deps_event_decode := api/event.c api/reaction.c api/fields.c api/json_get.c \
                          consumer/review_event.c common/clock.c
fuzz_deps_textfield    := tui/text.c tui/textfield.c
fuzz_deps_demo_parse   := cli/demo_parse.c
fuzz_lib_demo_parse    := $(FUZZ_BUILD)/libcli.a
FUZZ_CLI_SRC := $(filter-out cli/main.c,$(wildcard cli/*.c)) \
                $(wildcard $(addsuffix /*.c,$(LIBDIRS)))

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_ALL:%=$(FUZZ_BUILD)/fuzz_%)

fuzz: fuzz-build
	@FUZZ_BUILD=$(FUZZ_BUILD) ./tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(say) FUZZCC $<
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/libcli.a: $(call fuzz_obj,$(FUZZ_CLI_SRC))
	@rm -f $@
	$(say) AR $@
	$(Q)$(AR) rcs $@ $^

define fuzz_rule
$(FUZZ_BUILD)/fuzz_$(1): $(call fuzz_obj,tests/fuzz/fuzz_$(1).c $(fuzz_deps_$(1))) $(fuzz_lib_$(1))
	$$(say) LINK $$@
	$$(Q)$$(FUZZ_CC) $$(FUZZ_LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach t,$(FUZZ_ALL),$(eval $(call fuzz_rule,$(t))))

-include $(wildcard $(FUZZ_BUILD)/obj/*/*.d $(FUZZ_BUILD)/obj/*/*/*.d)
# ---- end of fuzzing ----------------------------------------------------------

MANPAGES  := $(wildcard man/*.[0-9])

install: all
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(BINS) $(DESTDIR)$(BINDIR)/
	@for page in $(MANPAGES); do \
		sect=$${page##*.}; \
		install -d $(DESTDIR)$(MANDIR)/man$$sect && \
		install -m 0644 $$page $(DESTDIR)$(MANDIR)/man$$sect/ || exit 1; \
	done

uninstall:
	rm -f $(PROGRAMS:%=$(DESTDIR)$(BINDIR)/%)
	@for page in $(MANPAGES); do \
		rm -f $(DESTDIR)$(MANDIR)/man$${page##*.}/$${page#man/}; \
	done

clean:
	rm -rf build bin

-include $(ALLOBJ:.o=.d) $(UNIT_SRC:%.c=$(BUILD)/%.d)
