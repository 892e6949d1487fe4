# pg_sfn: AWS Step Functions (Amazon States Language) inside PostgreSQL.
#
#   make && make install           build and install (PGXS)
#   test/run                       every test (see README)

EXTENSION = pg_sfn
EXTVERSION = 0.1
MODULE_big = pg_sfn

# One object per source file; sources are grouped by layer (see
# docs/ARCHITECTURE.md).
SRCS = $(sort $(wildcard src/*.c src/*/*.c))
OBJS = $(SRCS:.c=.o)

# The install script is assembled from the per-module pieces in src/sql/.
DATA_built = $(EXTENSION)--$(EXTVERSION).sql

REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --temp-config=test/regress.conf --temp-instance=tmp_check_regress \
	--load-extension=pg_sfn --dbname=sfn_regress

PG_CPPFLAGS = -I$(srcdir)/src
# -Wextra without unused-parameter: PostgreSQL's own headers (pg_list.h,
# bufpage.h) have inline functions with unused parameters.
PG_CFLAGS = -Wextra -Wno-unused-parameter
ifdef SFN_WERROR
PG_CFLAGS += -Werror
endif
SHLIB_LINK = -lcurl

EXTRA_CLEAN = tmp_check_regress results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# After PGXS, so that "all" stays the default target.
$(EXTENSION)--$(EXTVERSION).sql: $(sort $(wildcard src/sql/*.sql))
	cat $^ > $@
