#!/usr/bin/env bash
# The browser journeys drive Debian's Chromium through Playwright. Install it when missing and we may (root on
# Debian); otherwise say plainly what to install.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium and fonts-wqy-zenhei for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
  exit 0
fi
echo "The browser tests need Chromium at $CHROMIUM (Debian: sudo apt-get install chromium fonts-wqy-zenhei)," >&2
echo "or set CHROMIUM_PATH to a Chromium binary." >&2
exit 1
