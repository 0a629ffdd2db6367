#!/usr/bin/env bash
# Installs Debian's PostgreSQL server binaries for the store and scale-out tests, which start a
# throwaway cluster of their own (test/support/postgres.ts: initdb + pg_ctl in a temp directory,
# on 127.0.0.1 only). Nothing here starts or configures a server. Idempotent: does nothing when
# /usr/lib/postgresql/<version>/bin/initdb is already there.
set -euo pipefail

shopt -s nullglob
found=(/usr/lib/postgresql/*/bin/initdb)
shopt -u nullglob
if [ "${#found[@]}" -gt 0 ]; then
  echo "PostgreSQL already installed: ${found[-1]}"
  exit 0
fi

# sudo only when we are not root (CI containers usually run as root and often have no sudo).
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql

shopt -s nullglob
found=(/usr/lib/postgresql/*/bin/initdb)
if [ "${#found[@]}" -eq 0 ]; then
  echo "apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb was found" >&2
  exit 1
fi
echo "PostgreSQL installed: ${found[-1]}"
