#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a NEW database and new file directories, then check it.
#
#   scripts/restore.sh /backups/talentfair/2026-12-01T0200 postgres://postgres@db:5432/talentfair_restored \
#       /srv/talentfair/private-media-restored /srv/talentfair/media-restored
#
# Refuses a target database that already exists: a restore never writes over live data. Afterwards the row counts
# of the main tables are compared with the MANIFEST and any difference fails the script. Point DATABASE_URL,
# DJANGO_PRIVATE_MEDIA_ROOT and DJANGO_MEDIA_ROOT at the restored copies (docs/operations.md, "Restoring").
set -euo pipefail

src=${1:?usage: scripts/restore.sh BACKUP_DIR TARGET_DATABASE_URL PRIVATE_MEDIA_DIR MEDIA_DIR}
target=${2:?target database URL}
private_media=${3:?directory for the restored résumés}
media=${4:?directory for the restored media}
root=$(cd "$(dirname "$0")/.." && pwd)

name=${target##*/}
name=${name%%\?*}
server=${target%/*}/postgres
if [ "$(psql "$server" -Atc "SELECT 1 FROM pg_database WHERE datname = '$name'")" = "1" ]; then
    echo "restore: database $name already exists; restore into a new one" >&2
    exit 1
fi
(cd "$src" && sed -n 's/^sha256 //p' MANIFEST | sha256sum --check --quiet)

echo "restore: database → $name"
psql "$server" -qc "CREATE DATABASE \"$name\""
pg_restore --no-owner --exit-on-error --jobs=2 --dbname="$target" "$src/database.dump"
psql "$target" -qc "ANALYZE"

for pair in "resumes:$private_media" "media:$media"; do
    archive=${pair%%:*} dir=${pair#*:}
    if [ -f "$src/$archive.tar.gz" ]; then
        mkdir -p "$dir"
        tar --extract --gzip --file="$src/$archive.tar.gz" --directory="$dir"
        echo "restore: $archive → $dir"
    fi
done

expected=$(sed -n 's/^rows //p' "$src/MANIFEST")
actual=$(psql "$target" -At -F ' ' -f "$root/scripts/backup-counts.sql")
if [ "$expected" != "$actual" ]; then
    echo "restore: row counts differ from the backup's MANIFEST:" >&2
    diff <(echo "$expected") <(echo "$actual") >&2 || true
    exit 1
fi
echo "restore: done; row counts match the backup ($(echo "$actual" | tr '\n' ';'))"
