# pg_sfn: AWS Step Functions (Amazon States Language) inside PostgreSQL.
#
#   make && make install           build and install (PGXS)
#   test/run                       every test (see README)

EXTENSION = pg_sfn
# The newest version.  Its install script is assembled from the pieces in
# src/sql/; every released version's script is kept as released in
# src/sql/versions/, with one upgrade script per step (see
# docs/ARCHITECTURE.md, "Versions and upgrades").
EXTVERSION = 0.4
MODULE_big = pg_sfn

# One object per source file; sources are grouped by layer (see
# docs/ARCHITECTURE.md).
SRCS = $(sort $(wildcard src/*.c src/*/*.c))
OBJS = $(SRCS:.c=.o)

# The install script is assembled from the per-module pieces in src/sql/:
# 00_schema.sql (tables) and the rest (functions, CREATE OR REPLACE, and
# privileges, all safe to run again).  The upgrade script from the previous
# version is the hand-written migration in src/sql/upgrade/ followed by the
# same function pieces.  Released scripts of older steps are kept, frozen,
# in src/sql/versions/.
SQL_PIECES = $(sort $(wildcard src/sql/[1-9]*.sql))
PREVVERSION = 0.3
DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(EXTENSION)--$(PREVVERSION)--$(EXTVERSION).sql
DATA = $(sort $(wildcard src/sql/versions/*.sql))

REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --temp-config=test/regress.conf --temp-instance=tmp_check_regress \
	--load-extension=pg_sfn --dbname=sfn_regress

PG_CPPFLAGS = -I$(srcdir)/src -DSFN_VERSION=\"$(EXTVERSION)\"
# -Wextra without unused-parameter: PostgreSQL's own headers (pg_list.h,
# bufpage.h) have inline functions with unused parameters.
PG_CFLAGS = -Wextra -Wno-unused-parameter
ifdef SFN_WERROR
PG_CFLAGS += -Werror
endif
SHLIB_LINK = -lcurl
# make SFN_ASAN=1: an AddressSanitizer build for the fuzzer (test/fuzz/,
# docs/FUZZING.md).  The server must run with gcc's libasan preloaded.
# -fsanitize-recover lets a backend log a report and go on (with
# ASAN_OPTIONS=halt_on_error=0), so one run collects every finding.
ifdef SFN_ASAN
PG_CFLAGS += -fsanitize=address -fsanitize-recover=address -fno-omit-frame-pointer -O1 -g
SHLIB_LINK += -fsanitize=address
endif

# Each object depends on the headers it includes (-MMD writes x.d beside
# x.o): a changed struct rebuilds every file that uses it.  The JIT
# bitcode is built without it, or it would overwrite x.d.
PG_CPPFLAGS += -MMD -MP
DEPFILES = $(OBJS:.o=.d)
EXTRA_CLEAN = tmp_check_regress results regression.diffs regression.out $(DEPFILES)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

-include $(DEPFILES)
%.bc: override CPPFLAGS := $(filter-out -MMD -MP,$(CPPFLAGS))

# After PGXS, so that "all" stays the default target.
$(EXTENSION)--$(EXTVERSION).sql: src/sql/00_schema.sql $(SQL_PIECES)
	cat $^ > $@

$(EXTENSION)--$(PREVVERSION)--$(EXTVERSION).sql: src/sql/upgrade/$(PREVVERSION)--$(EXTVERSION).sql $(SQL_PIECES)
	cat $^ > $@

# The files that use SFN_VERSION are rebuilt when the version changes.
src/store/schema_version.o src/store/runner.o src/worker/http_worker.o: Makefile
