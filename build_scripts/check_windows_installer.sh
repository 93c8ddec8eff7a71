#!/usr/bin/env bash
# The Windows side, checked on Linux (CI runs this after build_scripts/build_linux.sh):
#   1. every dependency of the Windows build resolves as win_amd64 wheels for Python 3.11, 3.12 and 3.13
#      (build_scripts/windows_wheels.py: pip's resolution, metadata only);
#   2. Inno Setup compiles build_scripts/installer.iss against the built bundle dist/lamha-desktop under Wine;
#   3. the installer, run under Wine: refuses Windows 7 and 32-bit Windows; installs silently; an upgrade removes a
#      stale file of the old _internal folder; the uninstaller removes the program and leaves the user's data.
#
#   bash build_scripts/check_windows_installer.sh
#
# Needs .venv and dist/lamha-desktop (build_scripts/build_linux.sh). Installs, as root, Debian's wine (wine,
# wine32 and wine64 with i386 enabled; the installer is a 32-bit program and so is Inno Setup's compiler), Xvfb,
# and Inno Setup from the npm registry (package "innosetup", pinned below) into build/innosetup. Steps 2 and 3
# are skipped with a message when Wine cannot be installed (not root, no package) or when SKIP_WINE=1; step 1
# always runs. The Linux bundle stands in for the Windows one: the installer's logic does not depend on what the
# files are. Wine has no per-user "Programs" folder ({userpf}), so the install under Wine is for all users
# (/ALLUSERS); the per-user install is checked on Windows by .github/workflows/windows.yml.
set -euo pipefail
cd "$(dirname "$0")/.."

INNOSETUP_NPM_VERSION=6.4.1  # Inno Setup 6.4.1: 6.3 or newer is needed (x64compatible)
py=.venv/bin/python
bundle=dist/lamha-desktop

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
t_all=$(date +%s.%N)

echo "== win_amd64 wheels of every dependency (Python 3.11, 3.12, 3.13)"
t=$(date +%s.%N)
"$py" build_scripts/windows_wheels.py 2> >(grep -v "^WARNING: Location" >&2)
echo "   ($(elapsed "$t") s)"

skip() {
  echo "SKIP: $* - the Windows installer was not compiled or tried under Wine." >&2
  echo "windows check ok (wheels only) in $(elapsed "$t_all") s"
  exit 0
}
[ "${SKIP_WINE:-0}" = 1 ] && skip "SKIP_WINE=1"
[ -d "$bundle/_internal" ] || { echo "FAIL: no bundle in $bundle: run build_scripts/build_linux.sh first" >&2; exit 1; }

echo "== Wine, Xvfb and Inno Setup"
t=$(date +%s.%N)
wine_pkgs=(wine wine32:i386 wine64 libx11-6:i386 libxext6:i386 libxrender1:i386 libfreetype6:i386
  libxrandr2:i386 libxi6:i386 libxcursor1:i386 libxcomposite1:i386 libxfixes3:i386 xvfb xauth)
missing=()
for p in "${wine_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" = 0 ] || skip "Wine is not installed and this is not root (missing: ${missing[*]})"
  if ! dpkg --print-foreign-architectures | grep -qx i386; then
    dpkg --add-architecture i386
  fi
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null; }; then
    skip "the Wine packages could not be installed"
  fi
fi
command -v npm >/dev/null || skip "npm is not installed (Inno Setup comes from the npm registry)"
iscc=build/innosetup/node_modules/innosetup/bin/ISCC.exe
if [ ! -f "$iscc" ] || ! grep -q "\"version\": \"$INNOSETUP_NPM_VERSION\"" build/innosetup/node_modules/innosetup/package.json; then
  npm install --silent --no-save --no-audit --no-fund --prefix build/innosetup "innosetup@$INNOSETUP_NPM_VERSION" >/dev/null \
    || skip "the innosetup package could not be installed from the npm registry"
fi
echo "   ($(elapsed "$t") s)"

tmp=$(mktemp -d)
xvfb_pid=
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  WINEPREFIX=$tmp/prefix64 wineserver -k 2>/dev/null || true
  WINEPREFIX=$tmp/prefix32 wineserver -k 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="  # no Mono or Gecko prompts
# Setup creates its (hidden) wizard window even when silent: Wine needs an X display for that.
Xvfb -displayfd 3 -nolisten tcp -screen 0 1024x768x24 3>"$tmp/display" >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -s "$tmp/display" ] && break; sleep 0.1; done
[ -s "$tmp/display" ] || { echo "FAIL: Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$(cat "$tmp/display")"

prefix() {  # $1: win64|win32, $2: Windows version for Wine (win7, win10) - a fresh Wine prefix
  export WINEARCH=$1 WINEPREFIX=$tmp/prefix${1#win}
  if [ ! -d "$WINEPREFIX" ]; then
    wine wineboot -i >/dev/null 2>&1
    wineserver -w
  fi
  wine reg add 'HKCU\Software\Wine' /v Version /d "$2" /f >/dev/null 2>&1
  wineserver -w
}

echo "== compile installer.iss under Wine (against $bundle)"
t=$(date +%s.%N)
prefix win64 win10
version=$("$py" build_scripts/version_info.py)
numeric=$("$py" build_scripts/version_info.py --numeric)
out=$tmp/out
mkdir -p "$out"
# /DCompression=none: the check is of the script, not of LZMA (lzma2/max takes minutes on 150 MB).
if ! (cd build_scripts && wine "../$iscc" /Q "/DAppVersion=$version" "/DAppVersionNumeric=$numeric" \
    /DCompression=none "/DBundleDir=$(winepath -w "$PWD/../$bundle")" "/O$(winepath -w "$out")" installer.iss); then
  echo "FAIL: Inno Setup could not compile build_scripts/installer.iss" >&2
  exit 1
fi
setup=$out/lamha-desktop-$version-setup.exe
[ -s "$setup" ] || { echo "FAIL: no $setup" >&2; exit 1; }
echo "   $(basename "$setup"): $(du -m "$setup" | cut -f1) MB uncompressed ($(elapsed "$t") s)"

run_setup() {  # $1: log file; rest: options. Returns Setup's exit code.
  local log=$1 rc=0; shift
  wine "$setup" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART "/LOG=$(winepath -w "$log")" "$@" >/dev/null 2>&1 || rc=$?
  wineserver -w
  return "$rc"
}

echo "== the installer under Wine"
t=$(date +%s.%N)
# Windows 7 (6.1) on 64 bits: refused by MinVersion; Windows 10 1903 on 32 bits: refused by ArchitecturesAllowed.
# Inno Setup words both "does not support the version of Windows"; the log tells which system it saw.
for system in "win64 win7 6.1.7601 x64" "win32 win10 10.0.18362 x86"; do
  read -r arch winver seen_version seen_arch <<<"$system"
  prefix "$arch" "$winver"
  log=$tmp/refused-$arch.log
  if run_setup "$log" /ALLUSERS; then
    echo "FAIL: the installer ran on $winver ($arch)" >&2; exit 1
  fi
  if ! grep -q "Windows version: $seen_version" "$log" || ! grep -q "Windows architecture: $seen_arch" "$log" \
      || ! grep -q "does not support the version of Windows" "$log"; then
    echo "FAIL: $winver ($arch): not refused as expected:" >&2; cat "$log" >&2; exit 1
  fi
  echo "   refused on Windows $seen_version $seen_arch"
done
prefix win64 win10
app="$WINEPREFIX/drive_c/Program Files/lamha-desktop"
run_setup "$tmp/install.log" /ALLUSERS || { cat "$tmp/install.log" >&2; echo "FAIL: install" >&2; exit 1; }
for f in _internal lamha-desktop-cli unins000.exe; do
  [ -e "$app/$f" ] || { echo "FAIL: $f was not installed in $app" >&2; exit 1; }
done
touch "$app/_internal/stale-file-of-an-older-version.dll"
run_setup "$tmp/upgrade.log" /ALLUSERS || { cat "$tmp/upgrade.log" >&2; echo "FAIL: upgrade" >&2; exit 1; }
[ ! -e "$app/_internal/stale-file-of-an-older-version.dll" ] \
  || { echo "FAIL: the upgrade left a stale file in _internal" >&2; exit 1; }
echo "   installed, then upgraded: the stale file in _internal is gone"
appdata=$(wine cmd /c 'echo %APPDATA%' 2>/dev/null | tr -d '\r')
data="$(winepath -u "$appdata")/LamHa/lamha_desktop"  # where the application keeps its data on Windows
mkdir -p "$data"
echo "data" >"$data/lamha.sqlite3"
wine "$app/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART >/dev/null 2>&1 || true
wineserver -w
for _ in $(seq 50); do [ -e "$app/unins000.exe" ] || break; sleep 0.2; done  # the uninstaller finishes from a copy
[ ! -e "$app/_internal" ] && [ ! -e "$app/unins000.exe" ] || { echo "FAIL: the uninstaller left the program" >&2; exit 1; }
[ "$(cat "$data/lamha.sqlite3")" = data ] || { echo "FAIL: the uninstaller touched the user's data" >&2; exit 1; }
echo "   uninstalled: the program is gone, the data folder is kept ($(elapsed "$t") s)"
echo "windows check ok in $(elapsed "$t_all") s"
