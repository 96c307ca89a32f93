# The fleet tests (test/fleet) run DBOS workflows against a real PostgreSQL. Start one in a
# temporary directory (initdb + pg_ctl), listening on 127.0.0.1 only, on a free port; export its
# URL as POLYCLOUD_TEST_DATABASE_URL and register its stop in CI_CLEANUP. Installs Debian's
# postgresql when the binaries are missing. (Without CI, the tests start their own the same way.)
pg_bin_dir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  local dir
  for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/initdb" ] && { echo "$dir"; return; }; done
}
if [ -z "$(pg_bin_dir)" ]; then
  echo "== PostgreSQL is not installed; installing Debian's postgresql"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } ||
    { echo "FAIL: PostgreSQL (initdb, pg_ctl) is required by the fleet tests and could not be installed" >&2; exit 1; }
fi
PG_BIN=$(pg_bin_dir)
PG_DIR=$(mktemp -d /tmp/polycloud-pg.XXXXXX)
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
# initdb and postgres refuse to run as root: run them as the postgres user when we are root.
PG_AS=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$PG_DIR"
  PG_AS=(runuser -u postgres --)
fi
"${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --no-sync -E UTF8 >"$PG_DIR/initdb.log" 2>&1 ||
  { cat "$PG_DIR/initdb.log" >&2; echo "FAIL: initdb" >&2; exit 1; }
"${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=300 -c fsync=off" start >/dev/null ||
  { cat "$PG_DIR/postgres.log" >&2; echo "FAIL: pg_ctl start" >&2; exit 1; }
export POLYCLOUD_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
echo "== PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR)"
CI_CLEANUP+=("${PG_AS[*]} $PG_BIN/pg_ctl -D $PG_DIR/data -m immediate stop >/dev/null; rm -rf $PG_DIR")
