#!/bin/sh
# Опора: a nightly copy of the shared workspace (README, «Общая база на сервере»).
# Run by cron on the server as the postgres user, e.g. in /etc/cron.d/opora:
#   30 1 * * *  postgres  /usr/local/bin/opora-backup.sh /var/backups/opora
# Keeps the last KEEP_DAYS days of copies (30 unless set). A copy is restored into a new, empty
# database owned by opora_staff (see README): pg_restore --no-owner --role=opora_staff -d NEW FILE
set -eu
dir="${1:?укажите папку для копий}"
keep="${KEEP_DAYS:-30}"
db="${OPORA_DATABASE:-opora}"
mkdir -p "$dir"
file="$dir/opora-$(date +%Y%m%d-%H%M).dump"
pg_dump -Fc -f "$file.part" "$db"
mv "$file.part" "$file"
find "$dir" -name 'opora-*.dump' -mtime "+$keep" -delete
