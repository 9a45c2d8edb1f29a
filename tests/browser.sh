#!/usr/bin/env bash
# Before the pytest legs of `make test`: the console's browser tests
# (tests/browser/) drive Debian's headless chromium through its chromedriver.
# When either is missing, say so, then install both from Debian packages.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
echo "browser.sh: chromium or chromedriver is missing: installing the Debian packages" \
  "chromium and chromium-driver (apt-get) for the console's browser tests ..." >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
command -v chromium >/dev/null && command -v chromedriver >/dev/null || {
  echo "browser.sh: chromium and chromedriver are still missing" >&2
  exit 1
}
