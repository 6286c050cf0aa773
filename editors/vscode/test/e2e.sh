#!/bin/bash
# End-to-end test of the VS Code extension in real VS Code (code-server),
# driven by Playwright with Debian's Chromium (editor-testing.md §3):
#
#   1. builds the .vsix (npm ci, tsc, vsce) into target/e2e/;
#   2. starts code-server on 127.0.0.1 (a free port) with a fresh profile in a
#      temp dir, HOME isolated, the .vsix installed and nianbao.server.path
#      set to $NIANBAO_BIN;
#   3. test/drive.js "fixes": fixtures/editors/report.nianbao.txt shows its one
#      NB301 in the Problems panel, the quick fix applied through Ctrl+.
#      clears it, and 「重新计算全部总计」 fixes a copy with two broken totals;
#   4. test/drive.js "missing" and "broken": workspaces whose
#      nianbao.server.path names a missing file, or a program that exits at
#      once, get the extension's error naming that path and the setting;
#   5. kills code-server's whole process group and checks nothing is left.
#
# Environment:
#   NIANBAO_BIN  the nianbao binary under test (default $REPO/target/debug/nianbao)
#   E2E_TOOLS    Node 24, code-server, playwright-core (default $REPO/target/e2e-tools;
#                test/install-tools.sh fills it)
#   VSIX         a .vsix to test instead of building one
#   KEEP_TMP=1   keep the temp dir (profile, logs) for inspection
# Screenshots go to $REPO/target/e2e/. Exit status: 0 PASS, 1 FAIL, 2 setup error.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
EXT=$(cd "$HERE/.." && pwd)
REPO=$(cd "$EXT/../.." && pwd)
NIANBAO_BIN=${NIANBAO_BIN:-$REPO/target/debug/nianbao}
E2E_TOOLS=${E2E_TOOLS:-$REPO/target/e2e-tools}
OUT=$REPO/target/e2e
FIXTURE=$REPO/fixtures/editors/report.nianbao.txt

die() { echo "e2e: $*" >&2; exit 2; }
[ -x "$NIANBAO_BIN" ] || die "NIANBAO_BIN=$NIANBAO_BIN is not an executable (run cargo build first)"
case $NIANBAO_BIN in /*) ;; *) die "NIANBAO_BIN must be an absolute path" ;; esac
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing: apt-get install -y chromium"
[ -x "$E2E_TOOLS/node24/bin/node" ] && [ -x "$E2E_TOOLS/code-server/node_modules/.bin/code-server" ] &&
  [ -d "$E2E_TOOLS/playwright/node_modules/playwright-core" ] ||
  die "tools missing in $E2E_TOOLS: run editors/vscode/test/install-tools.sh"

export PATH="$E2E_TOOLS/node24/bin:$PATH"
mkdir -p "$OUT"
rm -f "$OUT"/vscode-*.png

# --- build the .vsix (with the real HOME: ~/.npmrc and the npm cache) ---
if [ -z "${VSIX:-}" ]; then
  t=$SECONDS
  (cd "$EXT" && npm ci --no-audit --no-fund --loglevel=error && npm run --silent compile &&
    npx --no-install vsce package --allow-missing-repository -o "$OUT/nianbao.vsix") > "$OUT/vsix-build.log" 2>&1 ||
    { cat "$OUT/vsix-build.log" >&2; die "building the .vsix failed"; }
  VSIX=$OUT/nianbao.vsix
  echo "e2e: built $VSIX in $((SECONDS - t)) s"
fi

# --- a fresh profile; everything below lives in $R ---
R=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-vscode-e2e.XXXXXX")
CS_PGID=
stop_code_server() {
  [ -n "$CS_PGID" ] || return 0
  kill -TERM -- "-$CS_PGID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- "-$CS_PGID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$CS_PGID" 2>/dev/null || true
  wait "$CS_PGID" 2>/dev/null || true
  CS_PGID=
}
cleanup() {
  status=$?
  stop_code_server
  if [ -n "${DRIVE_PGID:-}" ]; then kill -KILL -- "-$DRIVE_PGID" 2>/dev/null || true; fi
  if [ "${KEEP_TMP:-}" = 1 ]; then echo "e2e: kept $R"; else rm -rf "$R"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$R/home" "$R/tmp" "$R/data/User" "$R/exts" "$R/ws" "$R/ws-missing/.vscode"
export HOME="$R/home" XDG_CONFIG_HOME="$R/home/.config" XDG_DATA_HOME="$R/home/.local/share" \
  XDG_CACHE_HOME="$R/home/.cache" TMPDIR="$R/tmp"
cp "$FIXTURE" "$R/ws/report.nianbao.txt"
# A second copy with a second broken total: （一）予以公开 reads 5 where its parts sum to 1.
awk 'NR == 107 { sub(/1$/, "5") } { print }' "$FIXTURE" > "$R/ws/fixall.nianbao.txt"
# Two workspaces whose nianbao.server.path is wrong: a missing file, and a
# program that exits at once.
MISSING_BIN="$R/missing/nianbao"
BROKEN_BIN="$R/broken/nianbao"
mkdir -p "$R/broken" "$R/ws-broken/.vscode"
printf '#!/bin/sh\necho "not a language server" >&2\nexit 3\n' > "$BROKEN_BIN"
chmod +x "$BROKEN_BIN"
for w in missing broken; do
  cp "$FIXTURE" "$R/ws-$w/report.nianbao.txt"
done
printf '{ "nianbao.server.path": "%s" }\n' "$MISSING_BIN" > "$R/ws-missing/.vscode/settings.json"
printf '{ "nianbao.server.path": "%s" }\n' "$BROKEN_BIN" > "$R/ws-broken/.vscode/settings.json"
cat > "$R/data/User/settings.json" <<JSON
{ "workbench.startupEditor": "none", "workbench.tips.enabled": false, "telemetry.telemetryLevel": "off",
  "update.mode": "none", "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true, "security.workspace.trust.enabled": false, "files.hotExit": "off",
  "chat.disableAIFeatures": true, "window.commandCenter": false, "workbench.enableExperiments": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "nianbao.server.path": "$NIANBAO_BIN" }
JSON
# nianbao.server.path is machine-overridable: code-server's own place for
# machine settings is Machine/settings.json (the "Remote" tab); set it there too.
mkdir -p "$R/data/Machine"
printf '{ "nianbao.server.path": "%s" }\n' "$NIANBAO_BIN" > "$R/data/Machine/settings.json"

PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$R/config.yaml"
CS=("$E2E_TOOLS/code-server/node_modules/.bin/code-server" --config "$R/config.yaml"
  --user-data-dir "$R/data" --extensions-dir "$R/exts")

t=$SECONDS
"${CS[@]}" --install-extension "$VSIX" > "$R/install.log" 2>&1 || { cat "$R/install.log" >&2; die "--install-extension failed"; }
echo "e2e: installed the .vsix in $((SECONDS - t)) s"

# setsid: code-server, its extension hosts and their nianbao servers form one
# process group, killed whole at the end (they would otherwise outlive the
# browser by the reconnection grace time, 3 h).
setsid "${CS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override > "$R/code-server.log" 2>&1 &
CS_PGID=$!
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  kill -0 "$CS_PGID" 2>/dev/null || { cat "$R/code-server.log" >&2; die "code-server exited"; }
  sleep 0.5
done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" || { cat "$R/code-server.log" >&2; die "code-server did not come up"; }
echo "e2e: code-server $("${CS[@]}" --version | head -1) on 127.0.0.1:$PORT"

# Each drive runs in its own process group too, under a time limit.
drive() {
  local mode=$1 folder=$2 bin=${3:-}
  setsid timeout 300 env PLAYWRIGHT_DIR="$E2E_TOOLS/playwright" SERVER_BIN="$bin" \
    node "$HERE/drive.js" "$mode" "http://127.0.0.1:$PORT/?folder=$folder" "$folder" "$OUT" &
  DRIVE_PGID=$!
  DRIVE_PGIDS="$DRIVE_PGIDS $DRIVE_PGID"
  local rc=0
  wait "$DRIVE_PGID" || rc=$?
  kill -KILL -- "-$DRIVE_PGID" 2>/dev/null || true
  DRIVE_PGID=
  return $rc
}

result=0
DRIVE_PGIDS=
t=$SECONDS
drive fixes "$R/ws" || result=1
echo "e2e: fixes: $((SECONDS - t)) s"
t=$SECONDS
drive missing "$R/ws-missing" "$MISSING_BIN" || result=1
echo "e2e: missing binary: $((SECONDS - t)) s"
t=$SECONDS
drive broken "$R/ws-broken" "$BROKEN_BIN" || result=1
echo "e2e: broken binary: $((SECONDS - t)) s"

if [ $result -ne 0 ]; then
  echo "--- code-server.log (tail) ---" >&2
  tail -n 40 "$R/code-server.log" >&2
  grep -h "nianbao" "$R"/data/logs/*/exthost*/remoteexthost.log >&2 || true
  for f in "$R"/data/logs/*/exthost*/nianbao.nianbao/*.log; do
    [ -f "$f" ] && { echo "--- $f ---" >&2; tail -n 40 "$f" >&2; }
  done
fi

# Nothing started here may be left running: no member of the process
# groups, nothing that names the temp dir (zombies excepted: already dead,
# reaped late by PID 1 here).
groups="$CS_PGID $DRIVE_PGIDS"
stop_code_server
sleep 0.5
ps -eo pid=,pgid=,stat=,args= > "$R/ps.txt"
left=$(awk -v groups=" $groups " -v r="$R" '$3 !~ /^Z/ && (index(groups, " " $2 " ") || index($0, r))' "$R/ps.txt")
if [ -n "$left" ]; then
  echo "e2e: processes left behind:" >&2
  echo "$left" >&2
  result=1
fi

if [ $result -eq 0 ]; then echo "e2e: PASS (screenshots in $OUT)"; else echo "e2e: FAIL (screenshots in $OUT)" >&2; fi
exit $result
