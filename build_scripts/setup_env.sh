#!/usr/bin/env bash
# Set up everything lamha_desktop needs on a fresh Debian machine:
# system packages (as root), a virtual environment in .venv and the package itself.
#   bash build_scripts/setup_env.sh          # to run the application
#   bash build_scripts/setup_env.sh --test   # also what the tests need
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_pkgs=(python3 python3-venv python3-pip
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 fonts-dejavu-core fonts-liberation2
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0
  libxkbcommon-x11-0 libxcb-xinerama0 libxcb-randr0)
if [ "$want_test" = 1 ]; then
  # postgresql: the tests start a throwaway server cluster of their own (tests/pgserver.py) to run the storage
  # and operations tests on both engines; its packaged service is not used.
  apt_pkgs+=(poppler-utils xvfb xauth postgresql)
fi

missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    echo "Missing system packages (install them as root): ${missing[*]}" >&2
    exit 1
  fi
fi

py=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# setuptools announces every editable install with a framed "Editable installation" notice that reads like an
# error; it is only advice about folders named like the package. Silenced here, every other warning still shows.
export PYTHONWARNINGS="ignore:Editable installation:UserWarning${PYTHONWARNINGS:+,$PYTHONWARNINGS}"
if [ "$want_test" = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
else
  .venv/bin/python -m pip install -q -e .
fi
echo "lamha_desktop is installed in .venv (run: .venv/bin/python -m lamha_desktop)"
