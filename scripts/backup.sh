#!/usr/bin/env bash
# Back up Sadok: the database (pg_dump, custom format: compressed, restorable table
# by table) and the privilege documents (SADOK_PRIVATE_ROOT), into one directory
# named by the time. docs/operations.md says when to run it and where to keep it.
#
#   DATABASE_URL=postgres://… SADOK_PRIVATE_ROOT=/srv/sadok/private scripts/backup.sh /backups
set -euo pipefail

target="${1:?give the directory to write the backup into}"
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
private="${SADOK_PRIVATE_ROOT:-$(dirname "$0")/../var/private}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$target/sadok-$stamp"
mkdir -p "$out"
pg_dump --format=custom --no-owner --file="$out/database.dump" "$DATABASE_URL"
if [ -d "$private" ]; then
  tar -C "$private" -czf "$out/private.tar.gz" .
fi
( cd "$out" && sha256sum ./* > SHA256SUMS )
echo "$out"
