#!/bin/sh
# docker-compose.yml's `db`: on the first start of an empty data volume, let the `db-replica`
# service clone and stream from it (pg_basebackup -R) as the database owner, by password.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
