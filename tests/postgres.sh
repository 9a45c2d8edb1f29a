#!/usr/bin/env bash
# The PostgreSQL leg of `make test` and `make fuzz`:
#
#   tests/postgres.sh PREFIX COMMAND...
#
# 1. Makes sure a PostgreSQL server answers on 127.0.0.1:5432: when none does,
#    it says so, then installs one from Debian packages (if missing) and
#    starts it.
# 2. Runs COMMAND (pytest) with SPENDSENSE_TEST_RUN set to a new random id:
#    the suite names every database it makes PREFIX__<run>_... and drops them
#    (tests/utils/database.py). PREFIX itself is never created or dropped.
# 3. On any exit (success, failure, Ctrl-C): drops what the run left, then
#    checks that no PREFIX__* database appeared since step 2 (a list of
#    `SELECT datname FROM pg_database` before and after). A run that passed
#    but left databases behind fails here.
set -euo pipefail
prefix="${1:?usage: tests/postgres.sh PREFIX COMMAND...}"
shift
[ $# -gt 0 ] || { echo "usage: tests/postgres.sh PREFIX COMMAND..." >&2; exit 2; }
[[ "$prefix" =~ ^[a-z0-9_]{1,40}$ ]] || {
  echo "postgres.sh: TEST_PG_DB must be 1-40 characters a-z, 0-9 and _, not '$prefix'" >&2
  exit 2
}
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGPASSWORD=postgres

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "postgres.sh: no PostgreSQL answers on 127.0.0.1:5432 and none is installed:" \
      "installing the Debian package postgresql (apt-get) ..." >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "postgres.sh: starting the PostgreSQL cluster $version/main ..." >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  # A fresh cluster authenticates by password on TCP: give postgres a known one.
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
fi
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "postgres.sh: PostgreSQL did not start" >&2; exit 1; }

# names STARTING: the databases whose name starts with STARTING, one a line.
# (From stdin: psql substitutes :'p', quoted, only in what it reads.)
names() {
  psql -Atq -d postgres -v ON_ERROR_STOP=1 -v p="$1" <<<"SELECT datname FROM pg_database
    WHERE left(datname, length(:'p')) = :'p' ORDER BY 1"
}
run="$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
export SPENDSENSE_TEST_RUN="$run"
before="$(names "${prefix}__")"
echo "postgres.sh: PostgreSQL ready; this run's databases: ${prefix}__${run}_*" >&2

finish() {
  status=$?
  trap - EXIT INT TERM
  left="$(names "${prefix}__${run}_" || true)"
  for name in $left; do
    psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null || true
  done
  if [ -n "$left" ]; then
    echo "postgres.sh: dropped what the run left:" $left >&2
    # A run that passed must have cleaned up after itself.
    [ "$status" -ne 0 ] || status=1
  fi
  after="$(names "${prefix}__" || true)"
  new="$(comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after") | grep . || true)"
  if [ -n "$new" ]; then
    echo "postgres.sh: FAIL: databases left behind:" $new >&2
    [ "$status" -ne 0 ] || status=1
  else
    echo "postgres.sh: no ${prefix}__* database left behind" >&2
  fi
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
"$@"
