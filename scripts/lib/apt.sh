# Sourced by scripts/ensure-*.sh: installs Debian packages when this shell may (root, or sudo
# without a password), with no service started by the packages' install scripts (a policy-rc.d
# that forbids it for the duration), and the apt output kept out of the way unless it fails.
#   apt_install <label> <packages...>
apt_install() {
  local label=$1; shift
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    if sudo -n true 2>/dev/null; then sudo=(sudo -n); else
      printf '[%s] missing. Install Debian'"'"'s package, then run this again:\n[%s]   sudo apt-get update && sudo apt-get install -y %s\n' "$label" "$label" "$*" >&2
      return 1
    fi
  fi
  local apt_log policy=/usr/sbin/policy-rc.d placed=0
  apt_log=$(mktemp "/tmp/$label-apt.XXXXXX.log")
  # Debian's nginx would otherwise start a server on port 80 of every interface right away.
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null && "${sudo[@]}" chmod +x "$policy" && placed=1
  fi
  local status=0
  { DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "$@"; } >"$apt_log" 2>&1 || status=$?
  [ "$placed" = 1 ] && "${sudo[@]}" rm -f "$policy"
  if [ "$status" != 0 ]; then
    printf '[%s] apt-get failed; the end of its output (%s):\n' "$label" "$apt_log" >&2
    tail -n 25 "$apt_log" >&2
    return 1
  fi
  rm -f "$apt_log"
}
