#!/bin/bash
# Run the base tree's checkpatch.pl --strict on the given patch files:
# any error, warning or check fails.
#
# One question checkpatch cannot answer itself: FILE_PATH_CHANGES ("added,
# moved or deleted file(s), does MAINTAINERS need updating?") fires on
# every patch that adds a file without touching MAINTAINERS, even when an
# entry already covers it or a later patch of the series adds one.  We
# answer it instead: every file the patch adds must be covered by the PM
# entries of MAINTAINERS (linux-pm) once the whole series is applied.
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
	if ! out=$(cd "$tree" && perl scripts/checkpatch.pl --strict --color=never \
			--ignore FILE_PATH_CHANGES "$p" 2>&1) ||
	   ! grep -q '^total: 0 errors, 0 warnings, 0 checks' <<<"$out"; then
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
