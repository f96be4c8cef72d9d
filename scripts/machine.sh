#!/usr/bin/env bash
# What `make test` needs beside Python: Chromium for the browser tests, a font for
# its screenshots, gettext for the translations, and PostgreSQL answering on
# 127.0.0.1:5432. Installs what is missing when it can (as root, or with
# passwordless sudo); otherwise stops at once with the one command to run.
set -euo pipefail

PACKAGES="chromium fonts-dejavu-core gettext"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    echo "This machine lacks: ${missing[*]}. Install them with:" >&2
    echo "  sudo apt-get install -y --no-install-recommends $PACKAGES" >&2
    exit 1
  fi
  echo "Installing ${missing[*]} (apt-get)..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
fi

# PostgreSQL is started by the machine; start it if it stopped and we may.
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ] && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
fi

# The replica test (tests/test_replica.py) makes a streaming replica of the local
# PostgreSQL with pg_basebackup, which needs a replication connection from
# 127.0.0.1: allow it where this machine's cluster is Debian's and we may.
if [ "$(id -u)" -eq 0 ] && command -v pg_basebackup >/dev/null 2>&1; then
  for hba in /etc/postgresql/*/main/pg_hba.conf; do
    [ -f "$hba" ] || continue
    if ! grep -Eq '^host[[:space:]]+replication[[:space:]]' "$hba"; then
      echo "host replication postgres 127.0.0.1/32 trust" >> "$hba"
      version="$(basename "$(dirname "$(dirname "$hba")")")"
      pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true
    fi
  done
fi
