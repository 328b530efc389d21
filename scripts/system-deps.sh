#!/usr/bin/env bash
# Debian packages CountyLens needs beyond Python: a CJK font for charts and exported images, LibreOffice
# Writer to read .doc/.wps/.rtf/.odt files, and for the tests chromium (the real-browser test) and more.
# Installs only what is missing; needs root (or sudo).
set -euo pipefail
wanted=(fonts-noto-cjk libreoffice-writer "$@")
missing=()
for pkg in "${wanted[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
command -v apt-get >/dev/null || { echo "apt-get not found: install ${missing[*]} by hand" >&2; exit 1; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
