# Voices: build, run, test, benchmark, install.
#   make            build the release binaries into build/release/
#   make run        install what is missing, build, init the database, start app + nginx
#   make stop       stop what `make run` started
#   make cluster    install what is missing, build, start a replicated cluster on loopback:
#                   3 etcd, 3 PostgreSQL under Patroni, 2 app nodes, nginx on CLUSTER_PORT
#                   (8090); the others from CLUSTER_BASE (7100; see scripts/cluster.sh)
#   make cluster-stop  stop it and remove var/cluster/
#   make check      install what is missing, build with sanitizers, run every test
#   make faults-long  the fault-injection rounds, 10 times longer (FAULTS_SCALE)
#   make bench      benchmarks with ratios against references measured in the same run
#                   (with the replicated figures when a cluster runs, or BENCH_CLUSTER=1)
#   make cluster-test  the failure rounds on the replicated cluster (started if not running):
#                   the primary killed, an app node killed, the primary's network cut;
#                   writes var/cluster.json (scripts/cluster-test.sh)
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (default 60)
#   make valgrind   the unit tests under valgrind
#   make install    PREFIX=/usr/local DESTDIR=

PORT     ?= 8080
PREFIX   ?= /usr/local
SAN      ?= 0
PKGS     := sqlite3 libpq libsodium yaml-0.1 libutf8proc jansson libqrencode xlsxwriter

ifeq ($(SAN),1)
B        := build/asan
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT      := -O1 -g
# The tests' clock (core/lifecycle.h): only in this build, never in a release.
SANFLAGS += -DVOICES_TEST_CLOCK
else
B        := build/release
SANFLAGS :=
OPT      := -O2 -g
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lsqlite3 -lpq -lsodium -lyaml -lutf8proc -ljansson -lqrencode -lxlsxwriter)
CFLAGS   ?= $(OPT)
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wformat=2 -fstack-protector-strong -Icore $(PKG_CFLAGS) $(SANFLAGS) -MMD -MP
LDFLAGS  += $(SANFLAGS)
LIBS     := $(PKG_LIBS) -lstemmer -lpthread -lm
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lm)

CORE_SRC := $(wildcard core/*.c)
CGI_SRC  := $(wildcard cgi/*.c)
AN_SRC   := $(wildcard analysis/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
CGI_TEST_SRC := $(wildcard tests/unit/cgi_test_*.c)
AN_TEST_SRC  := $(wildcard tests/unit/an_test_*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(B)/%.o)
CGI_OBJ  := $(CGI_SRC:%.c=$(B)/%.o)
AN_OBJ   := $(AN_SRC:%.c=$(B)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%) $(CGI_TEST_SRC:tests/unit/%.c=$(B)/tests/%) \
            $(AN_TEST_SRC:tests/unit/%.c=$(B)/tests/%)
# The app's objects minus its main(), so unit tests can link the request parser and friends.
CGI_LIB_OBJ := $(filter-out $(B)/cgi/main.o,$(CGI_OBJ))
AN_LIB_OBJ  := $(filter-out $(B)/analysis/main.o,$(AN_OBJ))

all: $(B)/voices $(B)/voices-analyse

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/libcore.a: $(CORE_OBJ)
	$(AR) rcs $@ $^

# The app's dashboard and downloads run the analysis tool's tally, report and exporters;
# the writer adds new responses to the dashboard's kept counts with the same tally.
$(B)/cgi/dash.o $(B)/cgi/dash_%.o $(B)/cgi/results_%.o $(B)/cgi/writer.o: CFLAGS += -Ianalysis
$(B)/libanalysis.a: $(AN_LIB_OBJ)
	$(AR) rcs $@ $^

$(B)/voices: $(CGI_OBJ) $(B)/libanalysis.a $(B)/libcore.a
	$(CC) $(LDFLAGS) -o $@ $(CGI_OBJ) $(B)/libanalysis.a $(B)/libcore.a -lfcgi $(LIBS)

$(B)/voices-analyse: $(AN_OBJ) $(B)/libcore.a
	$(CC) $(LDFLAGS) -o $@ $(AN_OBJ) $(B)/libcore.a $(LIBS)

# tests/unit/test_X.c tests the core; cgi_test_X.c also links the app; an_test_X.c the analysis tool.
# Every test links tests/unit/unit*.c (runner, temporary directories, files; the survey fixtures);
# an_test_X.c also the other tests/unit/an_*.c (the analysis fixture and commands, open-data checks).
TEST_CFLAGS = $(CFLAGS) -Icgi -Ianalysis $(shell pkg-config --cflags check)
UNIT_OBJ := $(patsubst tests/unit/%.c,$(B)/unit/%.o,$(wildcard tests/unit/unit*.c))
AN_UNIT_OBJ := $(patsubst tests/unit/%.c,$(B)/unit/%.o,$(filter-out $(AN_TEST_SRC),$(wildcard tests/unit/an_*.c)))
$(B)/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -c $< -o $@
$(B)/tests/test_%: tests/unit/test_%.c $(UNIT_OBJ) $(B)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(UNIT_OBJ) $(B)/libcore.a $(LIBS) $(CHECK_LIBS)
$(B)/tests/cgi_test_%: tests/unit/cgi_test_%.c $(UNIT_OBJ) $(CGI_LIB_OBJ) $(B)/libanalysis.a $(B)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(UNIT_OBJ) $(CGI_LIB_OBJ) $(B)/libanalysis.a $(B)/libcore.a -lfcgi $(LIBS) $(CHECK_LIBS)
$(B)/tests/an_test_%: tests/unit/an_test_%.c $(UNIT_OBJ) $(AN_UNIT_OBJ) $(AN_LIB_OBJ) $(B)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(UNIT_OBJ) $(AN_UNIT_OBJ) $(AN_LIB_OBJ) $(B)/libcore.a $(LIBS) $(CHECK_LIBS)

unit-build: $(UNIT_BIN)

deps:
	@scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run.sh $(PORT)

stop:
	@scripts/stop.sh

cluster:
	@scripts/deps.sh cluster
	@$(MAKE) --no-print-directory all
	@scripts/cluster.sh start

cluster-stop:
	@scripts/cluster.sh stop

check: deps
	@$(MAKE) --no-print-directory SAN=1 all unit-build
	@scripts/check.sh

faults-long: deps
	@$(MAKE) --no-print-directory SAN=1 build/asan/voices
	@scripts/faults-long.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@scripts/bench.sh

# Bounded: the rounds take about 5 minutes, and the whole run stops after 10.
cluster-test:
	@scripts/deps.sh cluster
	@$(MAKE) --no-print-directory all
	@timeout 600 scripts/cluster-test.sh

fuzz: deps
	@scripts/fuzz.sh $(or $(FUZZ_SECONDS),60)

valgrind: deps
	@$(MAKE) --no-print-directory all unit-build
	@for t in $(UNIT_BIN); do CK_FORK=no valgrind -q --error-exitcode=1 --leak-check=full $$t || exit 1; done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/voices
	install -m 755 $(B)/voices $(B)/voices-analyse $(DESTDIR)$(PREFIX)/bin/
	cp -r templates surveys analysis/codebook.yaml analysis/codebook analysis/coding-model.txt $(DESTDIR)$(PREFIX)/share/voices/

clean:
	rm -rf build

.PHONY: all deps run stop cluster cluster-stop check faults-long bench cluster-test fuzz valgrind install clean unit-build
-include $(CORE_OBJ:.o=.d) $(CGI_OBJ:.o=.d) $(AN_OBJ:.o=.d)
-include $(UNIT_OBJ:.o=.d) $(AN_UNIT_OBJ:.o=.d) $(UNIT_BIN:=.d)
