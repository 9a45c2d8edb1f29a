#!/bin/sh
# Container entry point: only what must be shell. The rest is Python, with
# the app's own settings and URL parsing (app/cli/own_data.py, prepare.py).
#
# Started as root (the image's default, e.g. `docker run`), like the official
# database images: `spendsense own-data` creates the SQLite database's folder
# when missing and gives it and the database's files to the service user
# (uid 1000, "spendsense"); then this script runs itself again as that user
# through setpriv, so nothing serves as root. Started with a non-root `user:`
# (what docker-compose.yml does), it leaves ownership alone.
#
# As the service user: `spendsense prepare` checks the settings (one line and
# exit 1 for a bad one) and the data folder, migrates the schema, loads the
# demo data when SEED_DEMO_DATA is on, then execs the command (uvicorn) in its
# place, so that it runs as PID 1 and gets SIGTERM from `docker stop`.
#
# `own-data` as the command (compose's one-shot data-owner service, as root):
# only the ownership step, then exit; nothing when APP_USER is set.
set -eu

SERVICE_USER=spendsense

if [ "${1:-}" = own-data ]; then
  exec spendsense own-data --user "$SERVICE_USER"
fi

if [ "$(id -u)" = 0 ]; then
  spendsense own-data --user "$SERVICE_USER"
  # Never serve as root: from here on, the same script as the service user.
  export HOME=/app SPENDSENSE_ENTRYPOINT_FROM_ROOT=1
  exec setpriv --reuid="$(id -u "$SERVICE_USER")" --regid="$(id -g "$SERVICE_USER")" \
    --clear-groups -- "$0" "$@"
fi

exec spendsense prepare -- "$@"
