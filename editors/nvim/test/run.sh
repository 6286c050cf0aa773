#!/usr/bin/env bash
# End-to-end test of the Neovim plugin in a real headless Neovim.
#
#   editors/nvim/test/run.sh NVIM_BINARY
#
# NIANBAO_BIN: absolute path to the server (default: $REPO/target/debug/nianbao).
# It is put first on PATH as `nianbao`, so the plugin's default cmd is what runs.
# Each scenario runs under `timeout`; the exit status is the verdict.
set -euo pipefail

NVIM=${1:?usage: run.sh NVIM_BINARY}
HERE=$(cd "$(dirname "$0")" && pwd)
PLUGIN=$(dirname "$HERE")
REPO=$(cd "$PLUGIN/../.." && pwd)
NIANBAO_BIN=${NIANBAO_BIN:-$REPO/target/debug/nianbao}
TIMEOUT=${NIANBAO_E2E_TIMEOUT:-60}

if ! command -v "$NVIM" >/dev/null 2>&1; then
  echo "run.sh: no Neovim at '$NVIM'" >&2
  exit 2
fi
NVIM=$(command -v "$NVIM")
case $NVIM in /*) ;; *) NVIM="$PWD/$NVIM" ;; esac
if [ ! -x "$NIANBAO_BIN" ]; then
  echo "run.sh: no nianbao binary at '$NIANBAO_BIN' (run cargo build, or set NIANBAO_BIN)" >&2
  exit 2
fi

WORK=$(mktemp -d)
trap '[ -n "${NIANBAO_E2E_KEEP:-}" ] || rm -rf "$WORK"' EXIT
mkdir -p "$WORK/bin" "$WORK/xdg"
ln -s "$NIANBAO_BIN" "$WORK/bin/nianbao"
# Keep the user's Neovim state and logs out of it.
export XDG_CONFIG_HOME="$WORK/xdg/config" XDG_DATA_HOME="$WORK/xdg/data" \
  XDG_STATE_HOME="$WORK/xdg/state" XDG_CACHE_HOME="$WORK/xdg/cache"
export PATH="$WORK/bin:$PATH" NIANBAO_PLUGIN_DIR="$PLUGIN"

version=$("$NVIM" --version | head -n 1)
status=0
for scenario in main options missing; do
  dir="$WORK/$scenario"
  mkdir -p "$dir/sub/a" "$dir/sub/b"
  for name in report.nianbao.txt fixall.nianbao.txt plain.txt sub/a/report.nianbao.txt sub/b/report.nianbao.txt; do
    cp "$REPO/fixtures/editors/report.nianbao.txt" "$dir/$name"
  done
  touch "$dir/sub/nianbao.root"
  start=$(date +%s.%N)
  # stderr goes to a file: headless Neovim's output interleaves with the shell's.
  rc=0
  (cd "$dir" && NIANBAO_E2E=$scenario NIANBAO_E2E_DIR="$dir" \
    timeout "$TIMEOUT" "$NVIM" --headless -u NONE -i NONE -n \
    -c "luafile $HERE/e2e.lua" >"$WORK/$scenario.out" 2>"$WORK/$scenario.log") || rc=$?
  end=$(date +%s.%N)
  sed "s/^/  /" "$WORK/$scenario.log"
  printf '%s, %s: exit %s, %.2f s\n' "$version" "$scenario" "$rc" "$(echo "$end - $start" | bc)"
  if [ "$rc" -ne 0 ]; then
    [ "$rc" -eq 124 ] && echo "  (killed by timeout after ${TIMEOUT} s)"
    for f in "$WORK"/xdg/state/nvim/lsp.log "$WORK"/xdg/cache/nvim/lsp.log; do
      [ -s "$f" ] && { echo "  --- $f"; tail -n 40 "$f" | sed "s/^/  /"; }
    done
    status=1
  fi
done
exit $status
