#!/bin/bash
# Run the base tree's checkpatch.pl --strict on the given patch files:
# any error, warning or check fails.  Every file a patch adds must also be
# covered by a linux-pm entry of MAINTAINERS once the series is applied.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

# Files a patch adds (new files and rename targets).
added_files() {
	awk '/^diff --git / { f = substr($4, 3) }
	     /^new file mode / { print f }
	     /^rename to / { print $3 }' "$1"
}

status=0
for p in "$@"; do
	p=$(realpath "$p")
	if ! out=$(cd "$tree" && PATH=/usr/bin:$PATH \
			perl scripts/checkpatch.pl --strict --color=never "$p" 2>&1) ||
	   ! grep -q '^total: 0 errors, 0 warnings, 0 checks' <<<"$out" ||
	   grep -q '^Traceback' <<<"$out"; then
		echo "$out"
		echo "checkpatch: ${p##*/} is not clean" >&2
		status=1
	fi
	while read -r f; do
		[ -n "$f" ] || continue
		if ! (cd "$tree" && perl scripts/get_maintainer.pl --nogit --nogit-fallback \
				--norolestats -f "$f") | grep -q 'linux-pm@vger.kernel.org'; then
			echo "checkpatch: ${p##*/} adds $f, which no PM entry in MAINTAINERS covers" >&2
			status=1
		fi
	done < <(added_files "$p")
done
exit $status
