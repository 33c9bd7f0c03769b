#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser checks (`npm run test:e2e`,
# `npm run screenshot`): prints its path on stdout, progress on stderr. Installs it with apt-get
# when it is missing and this shell may (root, or sudo without a password); otherwise says what to run.
# CHROMIUM_PATH points at another Chromium build instead.
set -euo pipefail
log() { printf '[chromium] %s\n' "$*" >&2; }

CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then echo "$CHROMIUM"; exit 0; fi
[ -n "${CHROMIUM_PATH:-}" ] && { log "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"; exit 1; }

if [ "$(id -u)" = 0 ]; then SUDO=(); elif sudo -n true 2>/dev/null; then SUDO=(sudo -n); else
  log "Chromium is missing. Install Debian's package, then run this again:"
  log "  sudo apt-get update && sudo apt-get install -y chromium"
  exit 1
fi
t0=$SECONDS
log "installing Debian's chromium (apt-get; about 1-2 minutes) ..."
export DEBIAN_FRONTEND=noninteractive
apt_log=$(mktemp /tmp/chromium-apt.XXXXXX.log)
if ! { "${SUDO[@]}" apt-get update -q && "${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk; } >"$apt_log" 2>&1; then
  log "apt-get failed; the end of its output ($apt_log):"
  tail -n 25 "$apt_log" >&2
  exit 1
fi
rm -f "$apt_log"
[ -x /usr/bin/chromium ] || { log "apt-get finished but /usr/bin/chromium is missing"; exit 1; }
log "$(/usr/bin/chromium --version 2>/dev/null) installed in $((SECONDS - t0)) s"
echo /usr/bin/chromium
