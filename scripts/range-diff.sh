#!/bin/bash
# Show how the selected base's queue ($BASE, mainline by default) and
# another base's queue differ, patch by patch: "git range-diff" of the two
# series, in a scratch repository that borrows both trees' objects, so that
# neither tree is changed.  This is how a fix made in mainline is checked
# against its backports.
#   range-diff.sh OTHER
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

other=${1:-}
if [ -z "$other" ]; then
	echo "range-diff: name the other base: make range-diff OTHER=6.12 (one of:" \
		"$(pq_bases | tr '\n' ' '))" >&2
	exit 1
fi
this=$base
BASE=$this "$top/scripts/prepare-tree.sh" >/dev/null
BASE=$other "$top/scripts/prepare-tree.sh" >/dev/null

scratch=$build_root/range-diff.git
rm -rf "$scratch"
git init -q --bare "$scratch"
for b in "$this" "$other"; do
	t=$build_root/$b/linux
	echo "$t/.git/objects" >> "$scratch/objects/info/alternates"
	git -C "$scratch" update-ref "refs/base/$b" "$(git -C "$t" rev-parse base)"
	git -C "$scratch" update-ref "refs/series/$b" "$(git -C "$t" rev-parse series)"
done
echo "range-diff: queue-$other (left) against queue-$this (right)"
git -C "$scratch" -c core.abbrev=12 range-diff --no-color \
	"refs/base/$other..refs/series/$other" "refs/base/$this..refs/series/$this"
rm -rf "$scratch"
