#!/usr/bin/env bash
# Installs the Debian packages frontdesk needs beside its Python wheels:
# a virtual display and Mesa for Kivy windows without a screen, PostgreSQL for
# the multi-terminal store and its tests, espeak-ng for the spoken call-outs
# (Armenian, Russian, English), and Chromium with its WebDriver for the web
# pages' browser tests. As root it installs them; otherwise it prints the
# exact command and carries on (everything still runs on SQLite).
set -euo pipefail
PKGS=(xvfb xauth libgl1-mesa-dri libgl1 libegl1 libmtdev1 postgresql espeak-ng chromium chromium-driver)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]})) || exit 0
if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
  echo "system-deps: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system-deps: please run as root:"
  echo "  apt-get install -y ${missing[*]}"
fi
