#!/usr/bin/env bash
# Installs the editor host used by `npm start` and the end-to-end tests:
#   - Debian packages: redis-server (the demo's Redis behind slb_redis_app, for npm start and the
#     reachability test; its service is not needed: we start it ourselves), chromium + fonts-wqy-microhei (the browser the tests drive and a CJK font for
#     the zh-cn screenshots; not needed by `npm start`),
#     ripgrep (seeds @vscode/ripgrep's download cache), libkrb5-dev (headers for VS Code's
#     kerberos module, built from source because its prebuilt download is unreachable);
#   - e2e/host/node_modules: code-server 4.100.3 + playwright-core, exactly as e2e/host/package-lock.json says.
# Idempotent: every step is skipped when what it makes is already there (about 1 s then).
# See ../shared/reference/vscode-e2e.md for why each step is needed.
#
#   bash e2e/setup.sh              # everything (CI, npm run test:e2e)
#   bash e2e/setup.sh --no-browser # without chromium (npm start)
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=e2e/host
STAMP="$HOST/node_modules/.slb-e2e-host-installed"
CODE_SERVER_VERSION=4.100.3
RG_PKG_VERSION=1.15.11                                      # @vscode/ripgrep inside code-server 4.100.3
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

want_browser=1
for a in "$@"; do
  case "$a" in
    --no-browser) want_browser=0 ;;
    *) echo "e2e/setup.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

t0=$(date +%s)
log() { echo "[e2e setup +$(( $(date +%s) - t0 ))s] $*"; }

# --- 1. Debian packages, only the missing ones -------------------------------------------
pkgs=(ripgrep libkrb5-dev)
[ "$want_browser" = 1 ] && pkgs=(chromium fonts-wqy-microhei "${pkgs[@]}")   # the font: Chinese text in screenshots
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "e2e/setup.sh: these Debian packages are missing: ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq -o DPkg::Lock::Timeout=600
  apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" >/dev/null
else
  log "Debian packages present: ${pkgs[*]}"
fi
# redis-server is optional: without it the demo and the reachability test use the Redis-protocol stand-in.
if ! dpkg-query -W -f='${Status}' redis-server 2>/dev/null | grep -q 'install ok installed'; then
  if [ "$(id -u)" = 0 ]; then
    log "apt-get install redis-server"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends redis-server >/dev/null 2>&1 ||
      { apt-get update -qq -o DPkg::Lock::Timeout=600 && apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends redis-server >/dev/null; }; } ||
      log "redis-server could not be installed: the demo's Redis is the Redis-protocol stand-in (e2e/lib/host.mjs)"
  else
    log "redis-server is not installed (apt-get install redis-server as root); the demo's Redis is the Redis-protocol stand-in"
  fi
else
  log "redis-server present"
fi

# --- 2. code-server + playwright-core in e2e/host ----------------------------------------
lock_sum=$(sha256sum "$HOST/package-lock.json" | cut -d' ' -f1)
installed_version=""
if [ -x "$HOST/node_modules/.bin/code-server" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$lock_sum" ]; then
  installed_version=$(node -p "require('./$HOST/node_modules/code-server/package.json').version" 2>/dev/null || true)
fi
if [ "$installed_version" = "$CODE_SERVER_VERSION" ]; then
  log "code-server $installed_version already installed in $HOST"
else
  # @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache already holds the
  # asset: seed the cache with Debian's rg (musl build name, as the package expects).
  RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RG_PKG_VERSION"
  mkdir -p "$RG_CACHE"
  tar czf "$RG_CACHE/$RG_ASSET" -C /usr/bin rg
  log "seeded $RG_CACHE/$RG_ASSET with /usr/bin/rg"
  log "npm ci --prefix $HOST (code-server $CODE_SERVER_VERSION; native modules build from source, about 1 min)"
  # unsafe_perm: code-server's postinstall refuses to run as root without it.
  # yes: node-pty's postinstall runs `npx node-gyp`, which the machine's npmrc (yes=false) would cancel.
  npm_config_unsafe_perm=true npm_config_yes=true npm_config_fund=false npm_config_audit=false \
    npm ci --prefix "$HOST" --no-progress --loglevel=error
  echo "$lock_sum" > "$STAMP"
  log "code-server $(node -p "require('./$HOST/node_modules/code-server/package.json').version") installed"
fi
log "done"
