#!/bin/sh
# One backup of the demo database: pg_dump (custom format) into BACKUP_DIR, checked readable, then only the newest
# BACKUP_KEEP dumps are kept. Run by the chart's CronJob (templates/backup.yaml) in the Postgres image, and by
# kubernetes/test/postgres-backup.int.test.ts against a real Postgres. Connection from the libpq variables
# (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE). Prints the dump's path.
set -eu
: "${BACKUP_DIR:?set BACKUP_DIR to the backup volume}"
: "${BACKUP_KEEP:?set BACKUP_KEEP to the number of dumps to keep}"
: "${PGDATABASE:?set PGDATABASE to the database to dump}"
case "$BACKUP_KEEP" in
  '' | *[!0-9]* | 0) echo "pg-backup: BACKUP_KEEP must be a positive integer, got '$BACKUP_KEEP'" >&2; exit 2 ;;
esac

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
partial="$BACKUP_DIR/.partial-$PGDATABASE-$stamp.dump"
dump="$BACKUP_DIR/$PGDATABASE-$stamp.dump"
trap 'rm -f "$partial"' EXIT
pg_dump --format=custom --no-owner --no-privileges --file="$partial"
# a dump that pg_restore cannot read is not a backup
pg_restore --list "$partial" > /dev/null
# only a complete dump gets the name that retention and restores look for
mv "$partial" "$dump"

# retention: names sort by time (UTC stamp), newest first; everything past the newest BACKUP_KEEP goes
find "$BACKUP_DIR" -maxdepth 1 -type f -name "$PGDATABASE-*.dump" | sort -r | tail -n "+$((BACKUP_KEEP + 1))" |
  while read -r old; do
    rm -f "$old"
  done
echo "$dump"
