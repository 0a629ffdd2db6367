#!/usr/bin/env bash
# Installs Debian's chromium for the end-to-end tests. Playwright's own browser download is not
# reachable from the build machines, so the e2e tests launch /usr/bin/chromium through
# playwright-core instead. Idempotent: does nothing when chromium is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi

# sudo only when we are not root (CI containers usually run as root and often have no sudo).
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

/usr/bin/chromium --version
