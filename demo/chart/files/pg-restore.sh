#!/bin/sh
# Restores a dump of pg-backup.sh into PGDATABASE, which must exist and be empty (a fresh database): in one
# transaction, stopping at the first error, so a failed restore leaves the database as it was. Connection from the
# libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).
#   pg-restore.sh <dump>        e.g. pg-restore.sh /backups/otelkit-20261126T031700Z.dump
set -eu
: "${PGDATABASE:?set PGDATABASE to the (empty) database to restore into}"
if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: pg-restore.sh <dump file>   (got: $*)" >&2
  exit 2
fi
tables="$(psql -XAtq -c "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
if [ "$tables" != 0 ]; then
  echo "pg-restore: database $PGDATABASE already has $tables tables; restore into a fresh database" >&2
  exit 1
fi
pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --dbname="$PGDATABASE" "$1"
echo "restored $1 into $PGDATABASE"
