#!/usr/bin/env bash
# A logical backup of the portal: the database (pg_dump, custom format) and the uploaded files — résumés
# (DJANGO_PRIVATE_MEDIA_ROOT) and employer logos (DJANGO_MEDIA_ROOT) — into one new directory.
#
#   scripts/backup.sh /backups/talentfair/2026-12-01T0200
#
# Reads DATABASE_URL, DJANGO_PRIVATE_MEDIA_ROOT and DJANGO_MEDIA_ROOT as the site does. The dump is checked
# (pg_restore --list) before the script reports success; MANIFEST lists what the directory holds and the row counts
# of the main tables, which scripts/restore.sh compares after a restore. docs/operations.md: schedule, retention,
# the physical backups (pg_basebackup + WAL) beside it, and the restore drill.
set -euo pipefail

dest=${1:?usage: scripts/backup.sh DEST_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
database=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/talentfair}
private_media=${DJANGO_PRIVATE_MEDIA_ROOT:-$root/private-media}
media=${DJANGO_MEDIA_ROOT:-$root/media}

if [ -e "$dest" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
    echo "backup: $dest exists and is not empty; a backup never overwrites another" >&2
    exit 1
fi
mkdir -p "$dest"
umask 077  # résumés and the database are personal data

echo "backup: database → $dest/database.dump"
pg_dump --format=custom --compress=6 --no-owner --file="$dest/database.dump" "$database"
pg_restore --list "$dest/database.dump" > /dev/null  # a dump that cannot be read is no backup

for pair in "resumes:$private_media" "media:$media"; do
    name=${pair%%:*} dir=${pair#*:}
    if [ -d "$dir" ]; then
        echo "backup: $name ($dir) → $dest/$name.tar.gz"
        tar --create --gzip --file="$dest/$name.tar.gz" --directory="$dir" .
    else
        echo "backup: $name: $dir does not exist, nothing to copy"
    fi
done

{
    echo "created $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "database $(psql "$database" -Atc 'SELECT current_database()')"
    psql "$database" -At -F ' ' -f "$root/scripts/backup-counts.sql" | sed 's/^/rows /'
    (cd "$dest" && find . -maxdepth 1 -type f \( -name '*.dump' -o -name '*.tar.gz' \) -print0 | sort -z \
        | xargs -0 sha256sum | sed 's/^/sha256 /')
} > "$dest/MANIFEST"
echo "backup: done ($(du -sh "$dest" | cut -f1)); MANIFEST lists the row counts"
