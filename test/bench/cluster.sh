# test/bench/cluster.sh: the benchmarks' own cluster.  Sourced by the
# scripts in test/bench/ after scripts/lib.sh.
#
#   bench_cluster_start "extra postgresql.conf lines"
#
# Sets PSQL and PGBENCH (arrays) and stops the cluster on exit.

bench_cluster_start() {
	BENCH="$SFN_ROOT/test/bench/tmp"
	PORT=${PGSFN_BENCH_PORT:-5499}
	rm -rf "$BENCH"
	mkdir -p "$BENCH"
	chown "$SFN_PG_USER" "$BENCH" 2>/dev/null || as_root chown "$SFN_PG_USER" "$BENCH"
	as_pg "$PG_BIN/initdb" -D "$BENCH/data" -A trust -U postgres >/dev/null
	cat >>"$BENCH/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$BENCH'
port = $PORT
shared_preload_libraries = 'pg_sfn'
pg_sfn.database = 'postgres'
pg_sfn.workers = 2
synchronous_commit = on
shared_buffers = 1GB
max_wal_size = 4GB
$1
CONF
	as_pg "$PG_BIN/pg_ctl" -D "$BENCH/data" -l "$BENCH/server.log" -w start >/dev/null
	trap 'as_pg "$PG_BIN/pg_ctl" -D "$BENCH/data" -m fast -w stop >/dev/null' EXIT
	PSQL=(as_pg "$PG_BIN/psql" -X -q -A -t -h "$BENCH" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1)
	PGBENCH=(as_pg "$PG_BIN/pgbench" -h "$BENCH" -p "$PORT" -U postgres)
	"${PSQL[@]}" -c "CREATE EXTENSION pg_sfn" >/dev/null
	"${PSQL[@]}" -f "$SFN_ROOT/test/bench/setup.sql" >/dev/null
}

# Seconds since $1 (epoch with fraction).
since() { python3 -c "import time; print(f'{time.time() - $1:.3f}')"; }

# Wait until no execution is RUNNING.
wait_idle() {
	while [ "$("${PSQL[@]}" -c "SELECT count(*) FROM sfn.executions WHERE status = 'RUNNING'")" != 0 ]; do
		sleep 0.05
	done
}
