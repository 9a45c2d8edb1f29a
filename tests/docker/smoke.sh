#!/usr/bin/env bash
# Docker smoke test (make docker-smoke): build the image, start the compose
# stack, create a user over HTTP, restart the stack and find the user again.
# Also checks: SQLite file + WAL in the host data folder, the service is not
# root and is PID 1 (so SIGTERM reaches uvicorn), stop/down are graceful, and
# SEED_DEMO_DATA seeds once.
#
# Runs against its own compose project, host port and temporary data folder,
# so a dev stack on port 8000 and the repo's ./data are left alone.
# Env: SMOKE_PORT (host port; default: a free one), SMOKE_IMAGE (image tag),
#      SMOKE_KEEP=1 (leave the stack and data folder up for a look).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

say() { printf 'smoke: %s\n' "$*"; }
fail() {
  printf 'smoke: FAIL: %s\n' "$*" >&2
  exit 1
}
now() { python3 -c 'import time; print(time.monotonic())'; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$2"; }

command -v docker >/dev/null || fail "docker is not installed"
command -v python3 >/dev/null || fail "python3 is needed on the host for the HTTP checks"
docker info >/dev/null 2>&1 || fail "no Docker engine answers (docker info)"
if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null; then
  COMPOSE=(docker-compose)
else
  fail "neither 'docker compose' nor 'docker-compose' is available"
fi

PROJECT="spendsense_smoke_$$"
DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/spendsense-smoke-data.XXXXXX")"
if [ -z "${SMOKE_PORT:-}" ]; then
  SMOKE_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
fi
BASE="http://127.0.0.1:$SMOKE_PORT"
API_KEY="smoke-key-$$"

# Explicit values win over a developer's .env (compose reads both).
export DATA_DIR
export API_PORT="$SMOKE_PORT"
export API_IMAGE="${SMOKE_IMAGE:-spendsense-data:smoke}"
export DATABASE_URL="sqlite+aiosqlite:////app/data/spendsense.db"
export SPENDSENSE_API_KEY="$API_KEY"
export LOG_LEVEL=info
# The seed command is written in parallel; only switch seeding on once it exists.
export SEED_DEMO_DATA=true

dc() { "${COMPOSE[@]}" -p "$PROJECT" -f "$ROOT/docker-compose.yml" "$@"; }

# quiet CMD...: run CMD, showing its output only when it fails.
quiet() {
  local log
  log="$(mktemp)"
  if "$@" >"$log" 2>&1; then
    rm -f "$log"
  else
    tail -n 40 "$log" >&2
    rm -f "$log"
    return 1
  fi
}

cleanup() {
  status=$?
  if [ "$status" -ne 0 ]; then
    say "last service logs:"
    dc logs --no-color --tail 60 2>/dev/null || true
  fi
  if [ "${SMOKE_KEEP:-0}" = 1 ]; then
    say "SMOKE_KEEP=1: left project $PROJECT up, data in $DATA_DIR"
    return
  fi
  dc down --volumes --remove-orphans -t 5 >/dev/null 2>&1 || true
  rm -rf "$DATA_DIR"
  if [ "$status" -eq 0 ]; then say "PASS"; fi
}
trap cleanup EXIT

# http METHOD PATH [JSON]: prints "<status> <body>"; network errors are status 000.
http() {
  python3 - "$1" "$BASE$2" "${3:-}" "$API_KEY" <<'PY'
import sys, urllib.error, urllib.request
method, url, body, key = sys.argv[1:5]
headers = {"Authorization": f"Bearer {key}"} if key else {}
data = body.encode() if body else None
if data is not None:
    headers["Content-Type"] = "application/json"
request = urllib.request.Request(url, data=data, headers=headers, method=method)
try:
    with urllib.request.urlopen(request, timeout=10) as response:
        print(response.status, response.read().decode())
except urllib.error.HTTPError as error:
    print(error.code, error.read().decode())
except OSError as error:
    print("000", error)
PY
}

# json_get JSON KEY: one top-level field of a JSON object.
json_get() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

count_users() {
  local cursor="" total=0 reply code body
  while :; do
    reply="$(http GET "/api/v1/users?limit=500${cursor:+&cursor=$cursor}")"
    code="${reply%% *}" body="${reply#* }"
    [ "$code" = 200 ] || fail "GET /api/v1/users answered $code: $body"
    total=$((total + $(python3 -c 'import json, sys; print(len(json.loads(sys.argv[1])["items"]))' "$body")))
    cursor="$(python3 -c '
import json, sys, urllib.parse
c = json.loads(sys.argv[1])["next_cursor"]
print(urllib.parse.quote(c, safe="") if c else "")' "$body")"
    [ -n "$cursor" ] || break
  done
  echo "$total"
}

# -a: after `stop`, compose v2 lists only running containers without it.
container_id() { dc ps -a -q api; }

wait_healthy() {
  local deadline=$((SECONDS + 180)) cid state
  cid="$(container_id)"
  [ -n "$cid" ] || fail "no api container after up"
  while [ $SECONDS -lt $deadline ]; do
    state="$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$cid")"
    case "$state" in
      "running healthy") return 0 ;;
      "running unhealthy") fail "container is unhealthy" ;;
      restarting* | exited* | dead*) fail "the service crashed at start ($state)" ;;
    esac
    [ "$(docker inspect -f '{{.RestartCount}}' "$cid")" = 0 ] || fail "the service crashed and restarted"
    sleep 1
  done
  fail "container not healthy within 180 s (last state: $state)"
}

check_health_body() {
  local reply code body
  reply="$(http GET /health)"
  code="${reply%% *}" body="${reply#* }"
  [ "$code" = 200 ] || fail "GET /health answered $code: $body"
  [ "$(json_get "$body" status)" = ok ] || fail "/health status is not ok: $body"
  [ "$(json_get "$body" journal_mode)" = wal ] || fail "SQLite is not in WAL mode: $body"
  say "/health: $body"
}

# start_stack LABEL: up -d, wait until healthy, check the /health body.
start_stack() {
  local t0
  say "$1"
  t0="$(now)"
  quiet dc up -d || fail "compose up failed ($1)"
  wait_healthy
  say "healthy after $(elapsed "$t0" "$(now)") s"
  check_health_body
}

say "compose: ${COMPOSE[*]} ($("${COMPOSE[@]}" version --short 2>/dev/null || echo '?')), project $PROJECT, port $SMOKE_PORT"
say "data folder: $DATA_DIR; demo seeding: on"

t0="$(now)"
quiet dc build || fail "docker build failed (rerun: ${COMPOSE[*]} build)"
say "build: $(elapsed "$t0" "$(now)") s, image $API_IMAGE $(docker image inspect -f '{{.Size}}' "$API_IMAGE" | awk '{printf "%.0f MB", $1 / 1e6}')"

# The bind-mounted folder must be writable by the image's user, as ./data owned
# by the host user is; when we run as root (CI), hand the folder to that uid.
APP_UID="$(docker run --rm --entrypoint id "$API_IMAGE" -u)"
APP_GID="$(docker run --rm --entrypoint id "$API_IMAGE" -g)"
[ "$APP_UID" != 0 ] || fail "the image runs as root"
if [ "$(id -u)" = 0 ]; then
  chown "$APP_UID:$APP_GID" "$DATA_DIR"
elif [ "$(id -u)" != "$APP_UID" ]; then
  chmod 0777 "$DATA_DIR"
fi

start_stack "start 1"

# PID 1 is uvicorn (entrypoint exec'd it, so it gets SIGTERM) and is not root.
pid1="$(dc exec -T api python -c '
import pathlib
status = pathlib.Path("/proc/1/status").read_text().splitlines()
uid = next(line.split()[1] for line in status if line.startswith("Uid:"))
cmd = pathlib.Path("/proc/1/cmdline").read_bytes().replace(b"\0", b" ").decode()
print(uid, cmd)')"
say "container PID 1: uid ${pid1%% *}, ${pid1#* }"
[ "${pid1%% *}" != 0 ] || fail "the service runs as root"
case "$pid1" in *uvicorn*) ;; *) fail "PID 1 is not uvicorn: $pid1" ;; esac

seeded="$(count_users)"
say "users after first start with SEED_DEMO_DATA=true: $seeded"
[ "$seeded" = 50 ] || fail "expected 50 seeded users, found $seeded"

reply="$(API_KEY="" http POST /api/v1/users '{"name":"Smoke","email":"smoke@example.com"}')"
[ "${reply%% *}" = 401 ] || [ "${reply%% *}" = 403 ] \
  || fail "POST without the API key answered ${reply%% *}, expected 401: ${reply#* }"
reply="$(http POST /api/v1/users '{"name":"Smoke","email":"smoke@example.com"}')"
[ "${reply%% *}" = 201 ] || fail "POST /api/v1/users answered ${reply%% *}: ${reply#* }"
user_id="$(json_get "${reply#* }" id)"
say "created user $user_id"
users_before="$(count_users)"

[ -f "$DATA_DIR/spendsense.db" ] || fail "no spendsense.db in the host data folder"
[ -f "$DATA_DIR/spendsense.db-wal" ] || fail "no spendsense.db-wal next to it (WAL mode)"
say "host data folder: $(find "$DATA_DIR" -name 'spendsense.db*' -printf '%f (uid %U)\n' | sort | tr '\n' ' ')"

t0="$(now)"
quiet dc stop -t 30 || fail "compose stop failed"
took="$(elapsed "$t0" "$(now)")"
code="$(docker inspect -f '{{.State.ExitCode}}' "$(container_id)")"
say "stop: ${took} s, exit code $code"
python3 -c "import sys; sys.exit(float(sys.argv[1]) >= 10)" "$took" || fail "stop took ${took} s: SIGTERM not handled"
[ "$code" = 0 ] || fail "the service exited with code $code on SIGTERM"
quiet dc down || fail "compose down failed"

start_stack "start 2 (new container, same data folder)"
reply="$(http GET "/api/v1/users/$user_id")"
[ "${reply%% *}" = 200 ] || fail "GET /api/v1/users/$user_id after restart answered ${reply%% *}: ${reply#* }"
[ "$(json_get "${reply#* }" email)" = smoke@example.com ] || fail "wrong user after restart: ${reply#* }"
say "found user $user_id after restart"
users_after="$(count_users)"
[ "$users_after" = "$users_before" ] \
  || fail "user count changed across the restart: $users_before -> $users_after (seeding ran twice?)"
say "users before/after restart: $users_before/$users_after"

t0="$(now)"
quiet dc down -t 30 || fail "compose down failed"
took="$(elapsed "$t0" "$(now)")"
say "down: ${took} s"
python3 -c "import sys; sys.exit(float(sys.argv[1]) >= 10)" "$took" || fail "down took ${took} s: not graceful"
