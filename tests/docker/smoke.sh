#!/usr/bin/env bash
# Docker smoke test (make docker-smoke). Builds the image once from a fresh
# copy of the repository (tracked files only: no database, no .env), then
# starts the compose stack from that copy as a new user would, in these cases:
#
#   root       the default start (container starts as root) on the copy's own
#              ./data, owned by whoever runs this (root in CI): demo seeding,
#              the built-in catalog (a new user gets recommendations), GET /api/v1,
#              API key, a write, stop (SIGTERM), restart, the write is still
#              there, graceful down
#   other-uid  DATA_DIR owned by another uid, mode 0700
#   docker-run the image alone (`docker run`, no compose, so no data-owner
#              service) on a folder of another uid: the entry point, started
#              as root, hands it over and drops to uid 1000 itself
#   make-run   DATA_DIR holding a database made on the host by `make run`'s
#              commands (migrate, uvicorn, a user created, uvicorn killed):
#              .db, -wal and -shm owned by the host user
#   missing    DATA_DIR that does not exist (Docker creates it, owned by root),
#              served by two uvicorn workers (WEB_CONCURRENCY=2)
#   user       user: 4242:4242 (APP_USER) on a folder that uid owns; then
#              user: 4243:4243 on it, which must exit non-zero naming the
#              folder and the uid
#   bad-setting LOG_LEVEL=verbose: the container exits non-zero, its log starts
#              with the one-line settings error, no traceback, no database made
#   read-only  the database file made read-only: /health must answer 503 with
#              a detail saying so, writes 503 naming the cause, and the
#              container must turn unhealthy
#
# Every healthy case ends with a write that lands (POST, then GET), and checks
# that the serving processes (PID 1, uvicorn, and its children) and
# `docker compose exec api id -u` are uid 1000, or the APP_USER given, never
# root; and that compose's one-shot data-owner service exited 0.
#
# One compose project (its own name, port and folders), so a dev stack and the
# repo's ./data are left alone; its image and folders are removed at the end
# (Docker's build cache stays, so the next run builds in seconds).
# Env: SMOKE_PORT (host port; default: a free one), SMOKE_KEEP=1 (leave the
#      last stack and the folders for a look).
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
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

command -v docker >/dev/null || fail "docker is not installed"
command -v python3 >/dev/null || fail "python3 is needed on the host for the HTTP checks"
command -v git >/dev/null || fail "git is needed to copy the tracked files"
docker info >/dev/null 2>&1 || fail "no Docker engine answers (docker info)"
if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null; then
  COMPOSE=(docker-compose)
else
  fail "neither 'docker compose' nor 'docker-compose' is available"
fi

SMOKE_START="$(now)"
PROJECT="spendsense_smoke_$$"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/spendsense-smoke.XXXXXX")"
CLONE="$WORK/clone"
SMOKE_PORT="${SMOKE_PORT:-$(free_port)}"
API_KEY="smoke-key-$$"
IMAGE=""
OWNER_IMAGE=""
HOST_PID=""
RUN_CID=""
RESULTS=()

# Explicit values win over the developer's environment; the copy has no .env.
export API_PORT="$SMOKE_PORT"
export DATABASE_URL="sqlite+aiosqlite:////app/data/spendsense.db"
export SPENDSENSE_API_KEY="$API_KEY"
export LOG_LEVEL=info
export SEED_DEMO_DATA=false
export APP_USER=""
unset DATA_DIR COMPOSE_FILE COMPOSE_PROJECT_NAME WEB_CONCURRENCY DB_POOL_SIZE DB_MAX_OVERFLOW DB_POOL_TIMEOUT DB_POOL_RECYCLE \
  SPENDSENSE_LOAD_CATALOG SPENDSENSE_DEBUG

dc() { "${COMPOSE[@]}" -p "$PROJECT" -f "$CLONE/docker-compose.yml" "$@"; }

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

# as_root CMD...: run CMD as root in a throw-away container of the image, with
# the work folder at /w: prepares and removes folders owned by other uids
# whoever runs this script.
as_root() { docker run --rm --user 0 --entrypoint "" -v "$WORK:/w" "$IMAGE" "$@"; }

cleanup() {
  status=$?
  if [ -n "$HOST_PID" ]; then kill -9 "$HOST_PID" 2>/dev/null || true; fi
  if [ -n "$RUN_CID" ]; then
    [ "$status" -eq 0 ] || docker logs --tail 60 "$RUN_CID" 2>&1 || true
    docker rm -f "$RUN_CID" >/dev/null 2>&1 || true
  fi
  if [ "$status" -ne 0 ] && [ -d "$CLONE" ]; then
    say "last service logs:"
    dc logs --no-color --tail 60 2>/dev/null || true
  fi
  if [ "${SMOKE_KEEP:-0}" = 1 ]; then
    say "SMOKE_KEEP=1: left project $PROJECT, folders in $WORK"
    return
  fi
  if [ -d "$CLONE" ]; then dc down --volumes --remove-orphans -t 5 >/dev/null 2>&1 || true; fi
  if [ -n "$IMAGE" ]; then
    as_root sh -c 'rm -rf /w/* /w/.[!.]*' >/dev/null 2>&1 || true
    docker image rm "$IMAGE" $OWNER_IMAGE >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  if [ "$status" -eq 0 ]; then say "PASS in $(elapsed "$SMOKE_START" "$(now)") s"; fi
}
trap cleanup EXIT

# http METHOD URL [JSON]: prints "<status> <body>"; network errors are status 000.
http() {
  python3 - "$1" "$2" "${3:-}" "$API_KEY" <<'PY'
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
api() { http "$1" "http://127.0.0.1:$SMOKE_PORT$2" "${3:-}"; }

# json_get JSON KEY: one top-level field of a JSON object.
json_get() { python3 -c 'import json, sys; print(json.loads(sys.argv[1]).get(sys.argv[2]))' "$1" "$2"; }

count_users() {
  local cursor="" total=0 reply code body
  while :; do
    reply="$(api GET "/api/v1/users?limit=500${cursor:+&cursor=$cursor}")"
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
# The container of the `docker run` case while it runs, else compose's api.
container_id() { if [ -n "$RUN_CID" ]; then echo "$RUN_CID"; else dc ps -a -q api; fi; }
in_api() { if [ -n "$RUN_CID" ]; then docker exec -i "$RUN_CID" "$@"; else dc exec -T api "$@"; fi; }

# wait_health WANT: until the container's health is WANT (healthy or
# unhealthy); fails at once when the service crashes or restarts.
wait_health() {
  local want="$1" deadline=$((SECONDS + 180)) cid state=""
  cid="$(container_id)"
  [ -n "$cid" ] || fail "no api container after up"
  while [ $SECONDS -lt $deadline ]; do
    state="$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$cid")"
    case "$state" in
      "running $want") return 0 ;;
      "running healthy" | "running unhealthy") fail "container is ${state#running } (expected $want)" ;;
      restarting* | exited* | dead*) fail "the service crashed at start ($state)" ;;
    esac
    [ "$(docker inspect -f '{{.RestartCount}}' "$cid")" = 0 ] || fail "the service crashed and restarted"
    sleep 1
  done
  fail "container not $want within 180 s (last state: $state)"
}

# up LABEL: up -d; sets T0 to the time it started.
up() {
  say "[$1] up"
  T0="$(now)"
  quiet dc up -d || fail "compose up failed ($1)"
}

check_health_ok() {
  local reply code body
  reply="$(api GET /health)"
  code="${reply%% *}" body="${reply#* }"
  [ "$code" = 200 ] || fail "GET /health answered $code: $body"
  [ "$(json_get "$body" status)" = ok ] || fail "/health status is not ok: $body"
  [ "$(json_get "$body" journal_mode)" = wal ] || fail "SQLite is not in WAL mode: $body"
  say "  /health: $body"
}

# serving_uid EXPECTED: the uids (real, effective, saved, fs) of PID 1 and of
# every process descending from it, and under compose the uid `exec` gives,
# must all be EXPECTED; PID 1 is uvicorn. (A `docker run` container starts as
# root, so its exec is root, as with the official database images.)
serving_uid() {
  local expected="$1" report
  report="$(in_api python -c '
import pathlib
def status(pid):
    fields = dict(line.split(":", 1) for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines())
    return fields["Uid"].split(), fields["PPid"].strip()
tree, uids = {"1"}, set()
pids = sorted((p.name for p in pathlib.Path("/proc").iterdir() if p.name.isdigit()), key=int)
for pid in pids:
    try:
        uid, ppid = status(pid)
    except OSError:
        continue
    if pid == "1" or ppid in tree:
        tree.add(pid)
        uids.update(uid)
cmd = pathlib.Path("/proc/1/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
print(",".join(sorted(uids)), len(tree), cmd)')"
  EXEC_UID="$(in_api id -u | tr -d '\r')"
  SERVING_UID="${report%% *}"
  say "  serving processes: uid $SERVING_UID ($(echo "$report" | cut -d' ' -f2) process(es)), PID 1: $(echo "$report" | cut -d' ' -f3-); exec id -u: $EXEC_UID"
  [ "$SERVING_UID" = "$expected" ] || fail "the service runs as uid(s) $SERVING_UID, expected $expected"
  [ -n "$RUN_CID" ] || [ "$EXEC_UID" = "$expected" ] || fail "docker compose exec api id -u says $EXEC_UID, expected $expected"
  case "$report" in *uvicorn*) ;; *) fail "PID 1 is not uvicorn: $report" ;; esac
}

# write_lands LABEL: POST a user, then GET it back; sets USER_ID.
write_lands() {
  local reply
  reply="$(api POST /api/v1/users "{\"name\":\"Smoke $1\",\"email\":\"smoke-$1@example.com\"}")"
  [ "${reply%% *}" = 201 ] || fail "POST /api/v1/users answered ${reply%% *}: ${reply#* }"
  USER_ID="$(json_get "${reply#* }" id)"
  reply="$(api GET "/api/v1/users/$USER_ID")"
  [ "${reply%% *}" = 200 ] || fail "GET /api/v1/users/$USER_ID answered ${reply%% *}: ${reply#* }"
  say "  write landed: user $USER_ID"
}

# owners FOLDER: "name:uid ..." of the folder and its database files.
owners() {
  # shellcheck disable=SC2016 # $1 is expanded by the container's shell
  as_root sh -c 'cd "$1" && stat -c "%n:%u" . spendsense.db* | tr "\n" " "' - "/w/${1#"$WORK"/}"
}

# data_owner_done: compose's one-shot data-owner service ran and exited 0.
data_owner_done() {
  local cid code
  cid="$(dc ps -a -q data-owner)"
  [ -n "$cid" ] || fail "no data-owner container after up"
  code="$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$cid")"
  [ "$code" = "exited 0" ] || fail "the data-owner service is '$code', expected 'exited 0'"
  say "  data-owner: $(dc logs --no-color data-owner 2>&1 | grep -m1 'spendsense own-data:' | sed 's/.*spendsense own-data: //')"
}

# healthy_case LABEL EXPECTED_UID: wait healthy, check /health, the serving
# uid, a write, and record the case's figures.
healthy_case() {
  wait_health healthy
  data_owner_done
  local took
  took="$(elapsed "$T0" "$(now)")"
  say "  healthy after $took s"
  check_health_ok
  serving_uid "$2"
  write_lands "$1"
  RESULTS+=("$1|healthy after $took s|PID 1 uid $SERVING_UID (exec id -u: $EXEC_UID)|write landed ($USER_ID)")
}

down() { quiet dc down -t 10 || fail "compose down failed"; }

say "compose: ${COMPOSE[*]} ($("${COMPOSE[@]}" version --short 2>/dev/null || echo '?')), project $PROJECT, port $SMOKE_PORT"

# A fresh copy: what `git clone` gives, with this working tree's edits.
mkdir -p "$CLONE"
git -C "$ROOT" ls-files -z | tar -C "$ROOT" --null --ignore-failed-read -T - -cf - | tar -C "$CLONE" -xf -
[ -f "$CLONE/docker-compose.yml" ] || fail "could not copy the tracked files"
[ -z "$(find "$CLONE/data" -mindepth 1 ! -name .gitkeep)" ] || fail "the copy's data/ is not empty"

t0="$(now)"
quiet dc build || fail "docker build failed (rerun: ${COMPOSE[*]} build)"
for name in "${PROJECT}_api" "${PROJECT}-api"; do
  if docker image inspect "$name" >/dev/null 2>&1; then IMAGE="$name"; fi
done
[ -n "$IMAGE" ] || fail "no image named after the project $PROJECT after the build"
for name in "${PROJECT}_data-owner" "${PROJECT}-data-owner"; do
  if docker image inspect "$name" >/dev/null 2>&1; then OWNER_IMAGE="$name"; fi
done
[ -n "$OWNER_IMAGE" ] || fail "no data-owner image named after the project $PROJECT after the build"
say "build: $(elapsed "$t0" "$(now)") s, image $IMAGE $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1 / 1e6}')"

# --- root: the default start on the copy's ./data ---------------------------
export SEED_DEMO_DATA=true
say "[root] ./data of the copy: owner uid $(stat -c %u "$CLONE/data"), mode $(stat -c %a "$CLONE/data")"
up root
[ "$(docker inspect -f '{{.Config.Image}}' "$(container_id)")" = "$IMAGE" ] \
  || fail "the container does not run the project's own image $IMAGE"
healthy_case root 1000
smoke_user="$USER_ID"
seeded="$(count_users)"
say "  users with SEED_DEMO_DATA=true and one write: $seeded"
[ "$seeded" = 51 ] || fail "expected 50 seeded users and ours, found $seeded"
reply="$(API_KEY="" api POST /api/v1/users '{"name":"Smoke","email":"nokey@example.com"}')"
[ "${reply%% *}" = 401 ] || fail "POST without the API key answered ${reply%% *}, expected 401: ${reply#* }"
reply="$(api GET /)"
[ "${reply%% *}" != 404 ] || fail "GET / answered 404"
reply="$(api GET /api/v1)"
[ "${reply%% *}" = 200 ] || fail "GET /api/v1 (the index) answered ${reply%% *}: ${reply#* }"
# The first migration loaded the built-in catalog: a user gets recommendations.
reply="$(api GET "/api/v1/content?limit=500")"
catalog="$(python3 -c 'import json, sys; print(len(json.loads(sys.argv[1])["items"]))' "${reply#* }")"
[ "$catalog" -ge 20 ] || fail "the content catalog holds $catalog items after the first start"
reply="$(api PUT "/api/v1/users/$smoke_user/consent" '{"consent": true}')"
[ "${reply%% *}" = 200 ] || fail "PUT consent answered ${reply%% *}: ${reply#* }"
reply="$(api GET "/api/v1/users/$smoke_user/recommendations")"
[ "${reply%% *}" = 200 ] || fail "GET recommendations answered ${reply%% *}: ${reply#* }"
picked="$(python3 -c 'import json, sys; print(len(json.loads(sys.argv[1])["items"]))' "${reply#* }")"
[ "$picked" -gt 0 ] || fail "no recommendations on a fresh start: ${reply#* }"
say "  catalog: $catalog items; a new user with consent gets $picked recommendations"
[ -f "$CLONE/data/spendsense.db-wal" ] || fail "no spendsense.db-wal in ./data (WAL mode)"
say "  ./data: $(owners "$CLONE/data")"

t0="$(now)"
quiet dc stop -t 30 || fail "compose stop failed"
took="$(elapsed "$t0" "$(now)")"
code="$(docker inspect -f '{{.State.ExitCode}}' "$(container_id)")"
say "  stop: ${took} s, exit code $code"
python3 -c "import sys; sys.exit(float(sys.argv[1]) >= 10)" "$took" || fail "stop took ${took} s: SIGTERM not handled"
[ "$code" = 0 ] || fail "the service exited with code $code on SIGTERM"
down

up "root, restart"
wait_health healthy
say "  healthy after $(elapsed "$T0" "$(now)") s"
reply="$(api GET "/api/v1/users/$smoke_user")"
[ "${reply%% *}" = 200 ] || fail "GET /api/v1/users/$smoke_user after restart answered ${reply%% *}: ${reply#* }"
[ "$(count_users)" = "$seeded" ] || fail "the user count changed across the restart (seeding ran twice?)"
say "  user $smoke_user still there, $seeded users (no second seeding)"
t0="$(now)"
down
took="$(elapsed "$t0" "$(now)")"
say "  down: ${took} s"
python3 -c "import sys; sys.exit(float(sys.argv[1]) >= 10)" "$took" || fail "down took ${took} s: not graceful"
export SEED_DEMO_DATA=false

# --- other-uid: DATA_DIR owned by uid 4321, mode 0700 -----------------------
export DATA_DIR="$WORK/other-uid"
as_root sh -c 'mkdir /w/other-uid && chown 4321:4321 /w/other-uid && chmod 0700 /w/other-uid'
up other-uid
healthy_case other-uid 1000
say "  $DATA_DIR: $(owners "$DATA_DIR")"
down

# --- docker-run: the image alone, on a folder of uid 4321 -------------------
as_root sh -c 'mkdir /w/run && chown 4321:4321 /w/run && chmod 0700 /w/run'
say "[docker-run] docker run -d of the image alone"
T0="$(now)"
RUN_CID="$(docker run -d -p "127.0.0.1:$SMOKE_PORT:8000" -e SPENDSENSE_API_KEY="$API_KEY" \
  -v "$WORK/run:/app/data" "$IMAGE")"
wait_health healthy
took="$(elapsed "$T0" "$(now)")"
say "  healthy after $took s"
check_health_ok
serving_uid 1000
write_lands docker-run
say "  $WORK/run: $(owners "$WORK/run")"
RESULTS+=("docker-run|healthy after $took s|PID 1 uid $SERVING_UID (exec id -u: $EXEC_UID)|write landed ($USER_ID)")
docker rm -f "$RUN_CID" >/dev/null
RUN_CID=""

# --- make-run: the database made first on the host --------------------------
export DATA_DIR="$WORK/make-run"
mkdir -p "$DATA_DIR"
[ -x "$ROOT/.venv/bin/uvicorn" ] || quiet make -C "$ROOT" install || fail "make install failed"
host_port="$(free_port)"
say "[make-run] on the host: spendsense migrate, uvicorn on port $host_port, one user, then kill -9"
(
  # From the copy: the checkout's own .env (if any) is not read.
  cd "$CLONE"
  export DATABASE_URL="sqlite+aiosqlite:///$DATA_DIR/spendsense.db"
  quiet "$ROOT/.venv/bin/spendsense" migrate
) || fail "spendsense migrate on the host failed"
(cd "$CLONE" && DATABASE_URL="sqlite+aiosqlite:///$DATA_DIR/spendsense.db" \
  exec "$ROOT/.venv/bin/uvicorn" app.main:app --host 127.0.0.1 --port "$host_port" \
  >"$WORK/host-uvicorn.log" 2>&1) &
HOST_PID=$!
for _ in $(seq 1 60); do
  [ "$(http GET "http://127.0.0.1:$host_port/health" | cut -d' ' -f1)" = 200 ] && break
  sleep 0.5
done
reply="$(http POST "http://127.0.0.1:$host_port/api/v1/users" '{"name":"Host","email":"host@example.com"}')"
[ "${reply%% *}" = 201 ] || fail "POST to the host's uvicorn answered ${reply%% *}: ${reply#* } ($(tail -5 "$WORK/host-uvicorn.log"))"
host_user="$(json_get "${reply#* }" id)"
kill -9 "$HOST_PID"
wait "$HOST_PID" 2>/dev/null || true
HOST_PID=""
for suffix in "" -wal -shm; do
  [ -f "$DATA_DIR/spendsense.db$suffix" ] || fail "the host run left no spendsense.db$suffix"
done
say "  host files: $(owners "$DATA_DIR")"
up make-run
healthy_case make-run 1000
reply="$(api GET "/api/v1/users/$host_user")"
[ "${reply%% *}" = 200 ] || fail "the user made on the host is not served: ${reply%% *} ${reply#* }"
say "  the host's user $host_user is served; files now: $(owners "$DATA_DIR")"
down

# --- missing: DATA_DIR that does not exist; two workers ---------------------
export DATA_DIR="$WORK/missing/data"
export WEB_CONCURRENCY=2
up missing
healthy_case missing 1000
workers="$(dc logs --no-color 2>&1 | grep -c 'Started server process' || true)"
[ "$workers" = 2 ] || fail "WEB_CONCURRENCY=2 started $workers uvicorn worker(s)"
say "  WEB_CONCURRENCY=2: $workers uvicorn workers; $DATA_DIR: $(owners "$DATA_DIR")"
down
unset WEB_CONCURRENCY

# --- user: APP_USER=4242:4242 on a folder it owns, then 4243 on it ----------
export DATA_DIR="$WORK/user"
as_root sh -c 'mkdir /w/user && chown 4242:4242 /w/user'
export APP_USER=4242:4242
up "user 4242"
healthy_case "user-4242" 4242
say "  $DATA_DIR: $(owners "$DATA_DIR")"
down

export APP_USER=4243:4243
up "user 4243, folder of uid 4242"
deadline=$((SECONDS + 60))
while :; do
  code="$(docker inspect -f '{{.State.ExitCode}}' "$(container_id)")"
  [ "$code" = 0 ] || break
  [ $SECONDS -lt $deadline ] || fail "the container did not exit although uid 4243 cannot write $DATA_DIR"
  sleep 0.5
done
took="$(elapsed "$T0" "$(now)")"
message="$(dc logs --no-color 2>&1 | grep -m1 'spendsense prepare:.*not writable' || true)"
say "  exited with code $code after $took s: ${message#*| }"
case "$message" in
  *"$DATA_DIR"*"uid 4243"*) ;;
  *) fail "spendsense prepare's message does not name $DATA_DIR and uid 4243: $message" ;;
esac
RESULTS+=("user-4243 (cannot write)|exit code $code after $took s|-|message names the folder and uid 4243")
down
export APP_USER=""

# --- bad-setting: LOG_LEVEL=verbose stops the start with one line -----------
export DATA_DIR="$WORK/bad-setting"
export LOG_LEVEL=verbose
up "bad-setting LOG_LEVEL=verbose"
deadline=$((SECONDS + 60))
while :; do
  code="$(docker inspect -f '{{.State.ExitCode}}' "$(container_id)")"
  [ "$code" = 0 ] || break
  [ $SECONDS -lt $deadline ] || fail "the container did not exit although LOG_LEVEL=verbose"
  sleep 0.5
done
took="$(elapsed "$T0" "$(now)")"
logs="$(docker logs "$(container_id)" 2>&1)"
first="$(printf '%s\n' "$logs" | head -n 1)"
say "  exited with code $code after $took s: $first"
[ "$first" = "spendsense: LOG_LEVEL='verbose': input should be 'critical', 'error', 'warning', 'info' or 'debug'; e.g. LOG_LEVEL=info" ] \
  || fail "the first log line is not the one-line settings error: $first"
case "$logs" in *Traceback*) fail "a traceback in the logs of a bad setting: $logs" ;; esac
[ -z "$(find "$DATA_DIR" -name 'spendsense.db*' 2>/dev/null)" ] || fail "a database was made although the settings are bad"
RESULTS+=("bad-setting (LOG_LEVEL)|exit code $code after $took s|-|one line, no traceback, no database")
down
export LOG_LEVEL=info

# --- read-only: the database file made read-only ----------------------------
export DATA_DIR="$WORK/missing/data"
as_root chmod 0444 /w/missing/data/spendsense.db
up read-only
deadline=$((SECONDS + 60))
while :; do
  reply="$(api GET /health)"
  [ "${reply%% *}" = 000 ] || break
  [ $SECONDS -lt $deadline ] || fail "/health never answered"
  sleep 0.5
done
took="$(elapsed "$T0" "$(now)")"
code="${reply%% *}" body="${reply#* }"
say "  /health after $took s: $code $body"
[ "$code" = 503 ] || fail "/health answered $code on a read-only database, expected 503: $body"
detail="$(json_get "$body" detail)"
case "$detail" in *read-only* | *"not writable"*) ;; *) fail "/health's detail does not say the database is read-only: $body" ;; esac
reply="$(api POST /api/v1/users '{"name":"Smoke ro","email":"smoke-ro@example.com"}')"
say "  a write: ${reply%% *} ${reply#* }"
[ "${reply%% *}" = 503 ] || fail "a write to a read-only database answered ${reply%% *}, expected 503"
case "${reply#* }" in
  *read-only*/app/data/spendsense.db*"uid 1000"*) ;;
  *) fail "the write's 503 does not name the cause (read-only file and uid): ${reply#* }" ;;
esac
case "${reply#* }" in *"try again later"*) fail "a lasting cause says 'try again later': ${reply#* }" ;; esac
serving_uid 1000
wait_health unhealthy
took_unhealthy="$(elapsed "$T0" "$(now)")"
say "  unhealthy after $took_unhealthy s"
RESULTS+=("read-only|/health 503 after $took s, unhealthy after $took_unhealthy s|PID 1 uid $SERVING_UID|$detail")
down

say "summary:"
for line in "${RESULTS[@]}"; do
  IFS='|' read -r name timing uid outcome <<<"$line"
  printf 'smoke:   %-26s %-48s %-34s %s\n' "$name" "$timing" "$uid" "$outcome"
done
