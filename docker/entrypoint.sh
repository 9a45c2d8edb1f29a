#!/bin/sh
# Container entry point: migrate the schema, optionally load the demo data,
# then exec the command (uvicorn by default) so it runs as PID 1 and receives
# SIGTERM from `docker compose down` / `docker stop` directly.
set -eu

is_true() {
  case "$(printf '%s' "${1:-}" | tr '[:upper:]' '[:lower:]')" in
    1 | yes | true) return 0 ;;
    *) return 1 ;;
  esac
}

# The default database is a SQLite file in the bind-mounted /app/data; say
# plainly what to do when the host directory is not writable for this user.
data_dir=/app/data
if [ -d "$data_dir" ] && ! [ -w "$data_dir" ]; then
  echo "entrypoint: $data_dir is not writable by uid $(id -u)." >&2
  echo "  Fix on the host: sudo chown $(id -u):$(id -g) ./data" >&2
  echo "  or run as your uid: APP_UID=\$(id -u) APP_GID=\$(id -g) docker compose up --build" >&2
  case "${DATABASE_URL:-sqlite}" in
    sqlite*) exit 1 ;;
  esac
fi

# uvicorn reads UVICORN_* variables; follow LOG_LEVEL unless told otherwise.
if [ -n "${LOG_LEVEL:-}" ] && [ -z "${UVICORN_LOG_LEVEL:-}" ]; then
  UVICORN_LOG_LEVEL="$(printf '%s' "$LOG_LEVEL" | tr '[:upper:]' '[:lower:]')"
  export UVICORN_LOG_LEVEL
fi

echo "entrypoint: migrating the database schema to head" >&2
spendsense migrate

if is_true "${SEED_DEMO_DATA:-false}"; then
  echo "entrypoint: SEED_DEMO_DATA is on: loading demo data if the database has no users" >&2
  spendsense seed --users 50 --seed 42 --if-empty
fi

exec "$@"
