#!/usr/bin/env bash
# Makes sure Debian's nginx is installed for the e2e checks that put Coze Studio's own nginx
# setup in front of the emulator's Studio dialect: prints the binary's path on stdout, progress
# on stderr. Installs it with apt-get when missing and this shell may; the package's service is
# not started (the e2e starts its own nginx on a loopback port and stops it). NGINX_PATH points
# at another nginx build instead.
set -euo pipefail
log() { printf '[nginx] %s\n' "$*" >&2; }
# shellcheck source=lib/apt.sh
. "$(dirname "$0")/lib/apt.sh"

NGINX=${NGINX_PATH:-/usr/sbin/nginx}
if [ -x "$NGINX" ]; then echo "$NGINX"; exit 0; fi
[ -n "${NGINX_PATH:-}" ] && { log "NGINX_PATH=$NGINX_PATH is not an executable"; exit 1; }

t0=$SECONDS
log "installing Debian's nginx (apt-get; under a minute) ..."
apt_install nginx nginx
[ -x /usr/sbin/nginx ] || { log "apt-get finished but /usr/sbin/nginx is missing"; exit 1; }
log "$(/usr/sbin/nginx -v 2>&1) installed in $((SECONDS - t0)) s"
echo /usr/sbin/nginx
