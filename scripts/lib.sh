# scripts/lib.sh: shell helpers shared by scripts/ and test/run.
#
# Sourced, not run.  Everything here is idempotent: safe to call again.

PG_MAJOR=15
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
SFN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# PostgreSQL refuses to run as root: clusters run as this user.
SFN_PG_USER=${SFN_PG_USER:-postgres}
DEB_PACKAGES="postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR postgresql-$PG_MAJOR-cron libcurl4-openssl-dev make gcc python3"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run a command as root (directly, or through sudo when we are not root).
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Run a command as the unprivileged cluster user.
as_pg() {
	if [ "$(id -un)" = "$SFN_PG_USER" ]; then "$@"
	elif [ "$(id -u)" = 0 ]; then runuser -u "$SFN_PG_USER" -- "$@"
	else sudo -u "$SFN_PG_USER" "$@"; fi
}

# Install the Debian packages that are missing (apt-get update only if needed).
ensure_deps() {
	local missing=""
	for p in $DEB_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		say "installing Debian packages:$missing"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null
	fi
	id "$SFN_PG_USER" >/dev/null 2>&1 || die "user $SFN_PG_USER does not exist (set SFN_PG_USER)"
	export PATH="$PG_BIN:$PATH"
}

# Build with warnings as errors and install into the PostgreSQL tree.
build_install() {
	say "building pg_sfn"
	make -C "$SFN_ROOT" -s -j2 SFN_WERROR=1 PG_CONFIG="$PG_BIN/pg_config" >/dev/null 2>"$SFN_ROOT/build.log" ||
		{ cat "$SFN_ROOT/build.log" >&2; die "build failed"; }
	if [ -s "$SFN_ROOT/build.log" ]; then
		cat "$SFN_ROOT/build.log" >&2
		die "build printed warnings or errors"
	fi
	say "installing pg_sfn"
	as_root make -C "$SFN_ROOT" -s PG_CONFIG="$PG_BIN/pg_config" install >/dev/null
}
