#!/bin/sh
# An example job for exec.run: archives a directory, reporting progress on stdout.
#   exec.run("/opt/jobserver/scripts/backup.sh", ["/srv/data", "/backups"], {"lock": "backup"})
# Lines "PROGRESS <percent> <description>" update the job's progress; everything else goes to the job log.
set -eu
src="$1"
dest="$2"
stamp=$(date +%Y%m%d-%H%M%S)
archive="$dest/backup-$stamp.tar.gz"

echo "PROGRESS 5 counting files"
total=$(find "$src" -type f | wc -l)
echo "backing up $total files from $src to $archive"

echo "PROGRESS 10 archiving"
tar -C "$src" -czf "$archive.partial" .
mv "$archive.partial" "$archive"       # never leave a half-written archive under the final name

echo "PROGRESS 90 verifying"
tar -tzf "$archive" > /dev/null

echo "PROGRESS 100 done"
echo "$archive"
