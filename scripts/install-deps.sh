#!/usr/bin/env bash
# Installs the Debian packages Tether builds against and the servers its
# tests start, when any is missing. Safe to run repeatedly; needs root (or
# sudo) only when something must be installed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
packages=(
  libgit2-dev libcurl4-openssl-dev libyaml-dev libssl-dev pkg-config   # libraries
  git openssh-server openssh-client lighttpd python3                   # test servers and tools
)
# Each area of the test suite lists the extra packages it needs in .ci/apt-packages-AREA.txt.
for list in "$here"/.ci/apt-packages-*.txt; do
  [ -f "$list" ] || continue
  while read -r p; do
    p="${p%%#*}"; p="${p//[[:space:]]/}"
    [ -n "$p" ] && packages+=("$p")
  done < "$list"
done
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Python reference tools (test oracles, never shipped) go into one venv at .venv/.
# Each area lists its PyPI packages in .ci/pip-packages-AREA.txt; tests find the
# interpreter as $TETHER_PYTHON or .venv/bin/python and skip with a message without it.
pip_packages=()
for list in "$here"/.ci/pip-packages-*.txt; do
  [ -f "$list" ] || continue
  while read -r p; do
    p="${p%%#*}"; p="${p//[[:space:]]/}"
    [ -n "$p" ] && pip_packages+=("$p")
  done < "$list"
done
if [ ${#pip_packages[@]} -gt 0 ]; then
  [ -x "$here/.venv/bin/python" ] || python3 -m venv "$here/.venv"
  if ! "$here/.venv/bin/python" -m pip install -q --disable-pip-version-check "${pip_packages[@]}"; then
    echo "install-deps: pip install of ${pip_packages[*]} failed" >&2
    exit 1
  fi
  echo "install-deps: venv .venv has ${pip_packages[*]}"
fi
