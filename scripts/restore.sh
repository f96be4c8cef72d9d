#!/usr/bin/env bash
# Restore a backup of scripts/backup.sh into a new, empty database (never over the
# one in use), put the privilege documents back, and check what was restored: the
# checksums, Django's migrations, and the public log's chain and replay
# (`manage.py verify_log`). docs/operations.md: test a restore every month.
#
#   scripts/restore.sh /backups/sadok-20261201T020000Z postgres://…/sadok_restored /srv/sadok/private-restored
set -euo pipefail

backup="${1:?give the backup directory}"
database="${2:?give the new database URL (it is created)}"
private="${3:-}"
here="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$here/.venv/bin/python}"

( cd "$backup" && sha256sum --check --quiet SHA256SUMS )
name="${database##*/}"
server="${database%/*}/postgres"
psql "$server" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$name\""
pg_restore --no-owner --exit-on-error --dbname="$database" "$backup/database.dump"
if [ -n "$private" ] && [ -f "$backup/private.tar.gz" ]; then
  mkdir -p "$private"
  tar -C "$private" -xzf "$backup/private.tar.gz"
fi
cd "$here"
DATABASE_URL="$database" "$python" manage.py migrate --check
DATABASE_URL="$database" "$python" manage.py verify_log
echo "restored into $database"
