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

# Build with warnings as errors: any compiler output fails.
build_checked() {
	say "building pg_sfn"
	make -C "$SFN_ROOT" -s -j2 SFN_WERROR=1 PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" >/dev/null 2>"$SFN_ROOT/build.log" ||
		{ cat "$SFN_ROOT/build.log" >&2; die "build failed"; }
	if [ -s "$SFN_ROOT/build.log" ]; then
		cat "$SFN_ROOT/build.log" >&2
		die "build printed warnings or errors"
	fi
}

# Build with warnings as errors and install into the PostgreSQL tree.
build_install() {
	build_checked
	say "installing pg_sfn"
	as_root make -C "$SFN_ROOT" -s PG_CONFIG="$PG_BIN/pg_config" install >/dev/null
}

# A private copy of the PostgreSQL installation in directory $1, with
# pg_sfn built from the current tree installed into it: tests and
# benchmarks of several checkouts can run side by side without touching
# each other's (or the system's) files.  PostgreSQL finds its share and
# lib directories relative to its binaries, so the copy is self-contained.
# Sets PG_BIN to the copy's bin directory.
private_install() {
	local tree=$1
	local pg_lib=/usr/lib/postgresql/$PG_MAJOR pg_share=/usr/share/postgresql/$PG_MAJOR
	if [ ! -x "$tree$pg_lib/bin/postgres" ]; then
		say "copying PostgreSQL into a private tree"
		mkdir -p "$tree/usr/lib/postgresql" "$tree/usr/share/postgresql"
		cp -a "$pg_lib" "$tree/usr/lib/postgresql/"
		cp -a "$pg_share" "$tree/usr/share/postgresql/"
	fi
	build_checked
	say "installing pg_sfn into the private tree"
	make -C "$SFN_ROOT" -s PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" DESTDIR="$tree" install >/dev/null
	PG_BIN=$tree$pg_lib/bin
	export PATH="$PG_BIN:$PATH"
}

# The oldest release whose data an update must keep, as the commit that
# released it (its tag may not travel with a clone; the commit does).
SFN_OLDEST_RELEASE=0.1
SFN_OLDEST_RELEASE_COMMIT=9f6c7c3

# A private PostgreSQL tree, like private_install, with pg_sfn as released
# at commit $2 (built from git history) instead of the working tree's.
release_install() {
	local tree=$1 commit=$2 src
	src=$(mktemp -d)
	git -C "$SFN_ROOT" cat-file -e "$commit^{commit}" 2>/dev/null ||
		die "commit $commit (pg_sfn $SFN_OLDEST_RELEASE) is not in this clone's history"
	if [ ! -x "$tree/usr/lib/postgresql/$PG_MAJOR/bin/postgres" ]; then
		mkdir -p "$tree/usr/lib/postgresql" "$tree/usr/share/postgresql"
		cp -a "/usr/lib/postgresql/$PG_MAJOR" "$tree/usr/lib/postgresql/"
		cp -a "/usr/share/postgresql/$PG_MAJOR" "$tree/usr/share/postgresql/"
	fi
	say "building pg_sfn as released at $commit"
	git -C "$SFN_ROOT" archive "$commit" | tar -x -C "$src"
	make -C "$src" -s -j2 PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" >/dev/null 2>&1 ||
		die "could not build the release at $commit"
	rm -f "$tree/usr/share/postgresql/$PG_MAJOR/extension/pg_sfn"*
	make -C "$src" -s PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" DESTDIR="$tree" install >/dev/null
	rm -rf "$src"
}
