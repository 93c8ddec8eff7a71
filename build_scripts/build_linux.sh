#!/usr/bin/env bash
# Build the Linux bundle with PyInstaller and smoke-test it (CI runs this after the tests).
#   bash build_scripts/build_linux.sh
# Result: dist/lamha-desktop/ (run dist/lamha-desktop/lamha-desktop). Needs .venv (build_scripts/setup_env.sh);
# installs PyInstaller into it from the "build" extra of pyproject.toml.
# Checks, each with a fresh temporary data folder: --smoke-test exits 0 and writes nothing unexpected to stderr;
# the demo starts; the summary PDF and the Excel return are written by the bundle's console executable
# (lamha-desktop-cli), a backup by the windowed one, which records it in the data folder's log file.
# Prints the bundle's size and the start time of the frozen --smoke-test next to `python -m lamha_desktop` and
# to a bare PySide6 window (a QMainWindow shown and painted once), run in turns, with the ratios of the medians
# (as tests/bench/bench_startup.py measures the source tree; docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/.."

py=.venv/bin/python
[ -x "$py" ] || bash build_scripts/setup_env.sh
"$py" -c "import PyInstaller" 2>/dev/null || "$py" -m pip install -q -e ".[build]"

dist=dist
bundle=$dist/lamha-desktop
exe=$bundle/lamha-desktop
cli=$bundle/lamha-desktop-cli  # the console twin that Windows needs for the headless commands
# A guard against a Qt module creeping in (QtWebEngine alone is 200 MB). Since it was set at 160 MB the bundle has
# gained the Word paperwork (lxml, python-docx, docxtpl: 13 MB) and a PostgreSQL client with its own libpq and
# OpenSSL (psycopg[binary]: 15 MB), and lost the Python modules of Qt's OpenGL and lxml's unused parts (13 MB).
# Most of the rest is Qt itself: libicudata alone is 32 MB on Linux (Windows' Qt does without ICU).
max_mb=${MAX_BUNDLE_MB:-175}

echo "== PyInstaller"
"$py" -m PyInstaller --noconfirm --clean --log-level WARN --distpath "$dist" --workpath build/pyinstaller \
  build_scripts/lamha_desktop.spec

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Settings of their own too: the smoke tests neither read nor add to the layout and the list of known databases of
# whoever builds.
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$tmp" XDG_CONFIG_HOME="$tmp/settings"

# stderr lines a good start may write: our own INFO log lines, and the offscreen platform's note that it cannot
# pass size hints to a window manager (there is none). Anything else (a missing Qt plugin or library, a Python
# warning, a font error) fails the build.
allowed='^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:,]+ INFO lamha_desktop\.|^This plugin does not support propagateSizeHints\(\)$'

check_stderr() {  # $1: file, $2: what ran
  local bad
  bad=$(grep -Ev "$allowed" "$1" || true)
  if [ -n "$bad" ]; then
    echo "FAIL: unexpected stderr from $2:" >&2
    echo "$bad" >&2
    exit 1
  fi
}

run_smoke() {  # $1: label, rest: command; prints the wall time in seconds
  local label=$1 n=$2; shift 2
  local dir=$tmp/$label-$n start end
  start=$(date +%s.%N)
  if ! "$@" --smoke-test --data-dir "$dir" >"$dir.out" 2>"$dir.err"; then
    echo "FAIL: $label --smoke-test exited non-zero" >&2
    cat "$dir.out" "$dir.err" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  grep -q "smoke test ok" "$dir.out" || { echo "FAIL: $label: no 'smoke test ok'" >&2; exit 1; }
  check_stderr "$dir.err" "$label --smoke-test"
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}

run_bare() {  # prints the wall time in seconds of a bare PySide6 window, shown and painted once
  local start end
  start=$(date +%s.%N)
  "$py" -c 'import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.show(); app.processEvents(); w.close()' 2>/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}

echo "== smoke test of the bundle (and of python -m lamha_desktop and a bare window, for the start time)"
frozen=() python=() bare=()
for n in 1 2 3 4 5; do
  bare+=("$(run_bare)")
  frozen+=("$(run_smoke frozen "$n" "$exe")")
  python+=("$(run_smoke python "$n" "$py" -m lamha_desktop)")
done

echo "== the demo and the headless commands in the bundle"
"$exe" --demo --smoke-test --data-dir "$tmp/demo" >"$tmp/demo.out" 2>"$tmp/demo.err" \
  || { cat "$tmp/demo.err" >&2; echo "FAIL: --demo --smoke-test" >&2; exit 1; }
check_stderr "$tmp/demo.err" "--demo --smoke-test"
"$cli" summary-pdf --data-dir "$tmp/demo" --period 2024-H1 --out "$tmp/summary.pdf" >/dev/null
"$cli" export-return --data-dir "$tmp/demo" --period 2024-H1 --out "$tmp/return.xlsx" >/dev/null
"$exe" backup --data-dir "$tmp/demo" --out "$tmp/backup.sqlite3" >/dev/null
[ -s "$tmp/summary.pdf" ] && [ -s "$tmp/return.xlsx" ] && [ -s "$tmp/backup.sqlite3" ] \
  || { echo "FAIL: report or backup files missing" >&2; exit 1; }
grep -q "backup written" "$tmp/demo/logs/lamha.log" || { echo "FAIL: no log file in the data folder" >&2; exit 1; }
# The PostgreSQL driver is in the bundle and loads when a server is named: no server listens on port 1, so the
# command must end in one Vietnamese line about the server (exit 1), not in an import error.
set +e
"$cli" export-return --database postgresql://nobody@127.0.0.1:1/lamha --period 2024-H1 --out "$tmp/x.xlsx" \
  >"$tmp/server.out" 2>"$tmp/server.err"
code=$?
set -e
if [ "$code" -ne 1 ] || ! grep -q "Không kết nối được máy chủ" "$tmp/server.out" "$tmp/server.err"; then
  echo "FAIL: the bundle's PostgreSQL client (exit $code):" >&2
  cat "$tmp/server.out" "$tmp/server.err" >&2
  exit 1
fi
# SQLCipher is loaded only when a file needs it: an encrypted copy of the demo must open in the bundle too.
"$py" - "$tmp/demo/lamha.sqlite3" "$tmp/encrypted/lamha.sqlite3" <<'PY'
import shutil, sys
from pathlib import Path
from lamha_desktop.storage import db, encryption
target = Path(sys.argv[2])
target.parent.mkdir()
shutil.copy2(sys.argv[1], target)
encryption.change_password(target, "mật khẩu thử")
PY
LAMHA_BUNDLE_PW="mật khẩu thử" "$cli" backup --data-dir "$tmp/encrypted" --password-env LAMHA_BUNDLE_PW \
  --out "$tmp/encrypted-backup.sqlite3" >"$tmp/encrypted.out" 2>&1 \
  || { cat "$tmp/encrypted.out" >&2; echo "FAIL: an encrypted database in the bundle" >&2; exit 1; }
# A class list through the bundle's import (calamine, the compiled .xlsx reader, is in the bundle): checked only.
"$py" - "$tmp/class.xlsx" <<'PY'
import sys
import openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Lớp", "Số định danh cá nhân"])
ws.append([1, "Nguyễn Thị Bích Ngọc", "12/05/2008", "Nữ", "Kinh", "12A1", "068308001234"])
wb.save(sys.argv[1])
PY
"$cli" import-students --data-dir "$tmp/demo" --org LQD --dry-run "$tmp/class.xlsx" >"$tmp/import.out" 2>&1 \
  || { cat "$tmp/import.out" >&2; echo "FAIL: import-students in the bundle" >&2; exit 1; }
if command -v pdftotext >/dev/null; then
  # Into a file first: with pipefail, grep -q leaving early made pdftotext die of SIGPIPE on a longer summary.
  pdftotext "$tmp/summary.pdf" "$tmp/summary.txt"
  grep -q "BÁO CÁO" "$tmp/summary.txt" || { echo "FAIL: the summary PDF has no title" >&2; exit 1; }
fi
"$py" - "$tmp/return.xlsx" <<'PY'
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames, "no sheet in the exported return"
PY

size_mb=$(du -sm "$bundle" | cut -f1)
fmt() { printf '%s\n' "$@" | sort -n | awk 'NR==1{min=$1} {s=s sprintf("%.2f ", $1)} END{printf "%s(best %.2f s)", s, min}'; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END{print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
echo "== results"
echo "bundle: $bundle, ${size_mb} MB uncompressed (aim <= 150 MB)"
echo "start, --smoke-test (s): frozen $(fmt "${frozen[@]}"); python -m lamha_desktop $(fmt "${python[@]}");" \
  "bare PySide6 window $(fmt "${bare[@]}")"
awk -v f="$(median "${frozen[@]}")" -v p="$(median "${python[@]}")" -v b="$(median "${bare[@]}")" \
  'BEGIN { printf "start vs a bare window, medians of the same run: frozen %.2fx, python -m %.2fx (bar 2x, goal 1.3x)\n", f / b, p / b }'

if [ "$size_mb" -gt "$max_mb" ]; then
  echo "FAIL: the bundle is ${size_mb} MB, more than ${max_mb} MB" >&2
  exit 1
fi
echo "build ok"
