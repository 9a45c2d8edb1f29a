#!/bin/sh
# Container entry point.
#
# Started as root (the image's default, e.g. `docker run`), like the official
# database images: creates the SQLite database's folder when missing, gives it
# and the database files in it to the service user (uid 1000, "spendsense"),
# then runs itself again as that user through setpriv. Started with a non-root
# `user:` (what docker-compose.yml does), it leaves ownership alone. Either
# way, as the service user: check the folder can be written, migrate the
# schema, optionally load the demo data, then exec the command (uvicorn) so it
# runs as PID 1 and gets SIGTERM from `docker stop`.
#
# `own-data` as the command (compose's one-shot data-owner service, as root):
# only the ownership step, then exit; nothing when APP_USER is set.
set -eu

SERVICE_USER=spendsense
# The app's own default (app/config.py), for a `docker run` without DATABASE_URL.
DATABASE_URL="${DATABASE_URL:-sqlite+aiosqlite:////app/data/spendsense.db}"
export DATABASE_URL

say() { echo "entrypoint: $*" >&2; }

is_true() {
  case "$(printf '%s' "${1:-}" | tr '[:upper:]' '[:lower:]')" in
    1 | yes | true) return 0 ;;
    *) return 1 ;;
  esac
}

# The SQLite database file named by DATABASE_URL (relative paths are relative
# to /app, the working directory); fails for other databases and :memory:.
sqlite_file() {
  case "$1" in
    sqlite*://*) ;;
    *) return 1 ;;
  esac
  path="${1#*://}" # "/abs/path.db" or "rel/path.db" after the empty host
  path="${path#*/}"
  path="${path%%\?*}"
  case "$path" in
    "" | :memory: | file:*) return 1 ;;
    /*) ;;
    *) path="/app/$path" ;;
  esac
  printf '%s\n' "$path"
}

# on_host PATH: PATH as the host knows it, when it is in the data folder that
# compose mounts from DATA_DIR (passed in as HOST_DATA_DIR); else PATH itself.
on_host() {
  case "$1" in
    /app/data | /app/data/*)
      if [ -n "${HOST_DATA_DIR:-}" ]; then
        printf '%s\n' "${HOST_DATA_DIR%/}${1#/app/data}"
        return
      fi
      ;;
  esac
  printf '%s\n' "$1"
}

# named PATH: "PATH (HOST_PATH on the host)" for messages.
named() {
  host="$(on_host "$1")"
  if [ "$host" = "$1" ]; then printf '%s' "$1"; else printf '%s (%s on the host)' "$1" "$host"; fi
}

db_file="$(sqlite_file "$DATABASE_URL" || true)"
db_dir="${db_file:+$(dirname "$db_file")}"

# As root: the database's folder (created when missing) and files to the
# service user. Docker creates a missing bind-mount source as root; a clone
# made as root, or files left by `make run`, belong to another uid. Only the
# folder and the database's own files change hands, never a whole tree.
give_data_to_service_user() {
  uid="$(id -u "$SERVICE_USER")"
  gid="$(id -g "$SERVICE_USER")"
  [ -n "$db_dir" ] || return 0
  mkdir -p "$db_dir"
  for path in "$db_dir" "$db_file" "$db_file-wal" "$db_file-shm" "$db_file-journal"; do
    [ -e "$path" ] || continue
    if [ "$(stat -c %u:%g "$path")" != "$uid:$gid" ]; then
      chown "$uid:$gid" "$path" || say "could not give $(named "$path") to uid $uid"
    fi
  done
}

if [ "${1:-}" = own-data ]; then
  if [ -n "${APP_USER:-}" ]; then
    say "APP_USER=$APP_USER: the API runs as that user; no owner changed"
  elif [ -z "$db_dir" ]; then
    say "DATABASE_URL names no SQLite file: no data folder to own"
  elif [ "$(id -u)" != 0 ]; then
    say "own-data needs root (user: \"0:0\"), it runs as uid $(id -u); no owner changed"
    exit 1
  else
    give_data_to_service_user
    say "gave $(named "$db_dir") and its database files to uid $uid"
  fi
  exit 0
fi

if [ "$(id -u)" = 0 ]; then
  give_data_to_service_user
  # Never serve as root: from here on, the same script as the service user.
  export HOME=/app SPENDSENSE_ENTRYPOINT_FROM_ROOT=1
  exec setpriv --reuid="$uid" --regid="$gid" --clear-groups -- "$0" "$@"
fi
from_root="${SPENDSENSE_ENTRYPOINT_FROM_ROOT:-}"
unset SPENDSENSE_ENTRYPOINT_FROM_ROOT

uid="$(id -u)"
gid="$(id -g)"
if [ -n "$db_dir" ]; then
  if ! [ -d "$db_dir" ] || ! [ -w "$db_dir" ] || ! [ -x "$db_dir" ]; then
    say "$(named "$db_dir") is not writable by uid $uid (gid $gid): SQLite cannot create or change the database there."
    if [ -n "$from_root" ]; then
      say "  The entry point gave it to uid $uid where it could; it stays read-only (read-only mount, or its mode)."
    elif [ "$uid" = "$(id -u "$SERVICE_USER")" ]; then
      say "  Compose's data-owner service gives it to uid $uid before the API starts (docker compose logs data-owner);"
      say "  it stays read-only (read-only mount, or its mode), or that step did not run (docker run --user)."
    else
      say "  The container runs as uid $uid (APP_USER, or user:), so nothing changes owners."
      say "  Make it writable for that uid on the host: sudo chown $uid:$gid $(on_host "$db_dir")"
      say "  or leave APP_USER unset and compose's data-owner service hands it to uid 1000."
    fi
    exit 1
  fi
  # A database file this uid cannot write is reported, not fatal: the service
  # serves reads, and /health answers 503 saying why until it is fixed.
  read_only=""
  for path in "$db_file" "$db_file-wal" "$db_file-shm"; do
    if [ -e "$path" ] && ! [ -w "$path" ]; then read_only="$path"; fi
  done
  if [ -n "$read_only" ]; then
    say "$(named "$read_only") is read-only for uid $uid: serving reads only; /health answers 503 and writes are refused until it is writable."
  fi
fi

# uvicorn reads UVICORN_* variables; follow LOG_LEVEL unless told otherwise.
if [ -n "${LOG_LEVEL:-}" ] && [ -z "${UVICORN_LOG_LEVEL:-}" ]; then
  UVICORN_LOG_LEVEL="$(printf '%s' "$LOG_LEVEL" | tr '[:upper:]' '[:lower:]')"
  export UVICORN_LOG_LEVEL
fi

# Worker processes: uvicorn runs WEB_CONCURRENCY of them (it reads the
# variable itself; default 1). Checked here, before anything starts.
workers="${WEB_CONCURRENCY:-1}"
# The same bounds as app/config.py's web_concurrency (1 to 256).
case "$workers" in
  "" | *[!0-9]* | 0 | 0* | ????*) workers_ok="" ;;
  *) if [ "$workers" -le 256 ]; then workers_ok=1; else workers_ok=""; fi ;;
esac
if [ -z "$workers_ok" ]; then
  say "WEB_CONCURRENCY must be a whole number from 1 to 256, not '$workers'"
  exit 1
fi
export WEB_CONCURRENCY="$workers"
if [ "$workers" -gt 1 ] && [ -n "$db_file" ]; then
  say "$workers workers share one SQLite file: reads run side by side, writes still one at a time"
fi

if [ -n "${read_only:-}" ]; then
  # Migrating takes the write lock even at head; the service reports the schema.
  say "skipping the migration and the demo data: the database is read-only"
else
  say "migrating the database schema to head (uid $uid)"
  spendsense migrate
  if is_true "${SEED_DEMO_DATA:-false}"; then
    say "SEED_DEMO_DATA is on: loading demo data if the database has no users"
    spendsense seed --users 50 --seed 42 --if-empty
  fi
fi

say "serving with $workers worker process(es)"
exec "$@"
