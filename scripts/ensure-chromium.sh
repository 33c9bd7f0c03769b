#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser checks (`npm run test:e2e`,
# `npm run screenshot`): prints its path on stdout, progress on stderr. Installs it with apt-get
# when it is missing and this shell may (root, or sudo without a password); otherwise says what to run.
# CHROMIUM_PATH points at another Chromium build instead.
set -euo pipefail
log() { printf '[chromium] %s\n' "$*" >&2; }
# shellcheck source=lib/apt.sh
. "$(dirname "$0")/lib/apt.sh"

CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then echo "$CHROMIUM"; exit 0; fi
[ -n "${CHROMIUM_PATH:-}" ] && { log "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"; exit 1; }

t0=$SECONDS
log "installing Debian's chromium (apt-get; about 1-2 minutes) ..."
apt_install chromium chromium fonts-noto-cjk
[ -x /usr/bin/chromium ] || { log "apt-get finished but /usr/bin/chromium is missing"; exit 1; }
log "$(/usr/bin/chromium --version 2>/dev/null) installed in $((SECONDS - t0)) s"
echo /usr/bin/chromium
