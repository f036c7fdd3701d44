#!/bin/bash
# Check that the selected base's queue round-trips: "git am" of every patch
# in patches/queue-BASE/series onto base, then "git format-patch", gives
# byte-identical files (a backport's notes below the "---" included), and
# that the series file lists exactly the patch files present.
# Works in a scratch (sparse) worktree, so build/linux is not touched.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

scratch=$build/roundtrip
out=$build/roundtrip-out
status=0

cleanup() {
	git -C "$tree" worktree remove --force "$scratch" 2>/dev/null || true
	rm -rf "$scratch" "$out"
}
trap cleanup EXIT
cleanup
git -C "$tree" worktree prune

present=$(cd "$patches" && find . -maxdepth 1 -name '*.patch' ! -name cover-letter.patch -printf '%f\n' | sort)
if [ "$present" != "$(pq_series | sort)" ]; then
	echo "check-roundtrip: ${patches#"$top"/}/series does not list exactly its patch files" >&2
	diff <(echo "$present") <(pq_series | sort) >&2 || true
	exit 1
fi

# Check out only the files the series touches, and the .gitattributes
# that choose the diff drivers: the rest is not needed to apply the series,
# and a full checkout of the kernel takes a minute.
git -C "$tree" worktree add -q --no-checkout --detach "$scratch" base
pq_series | sed "s|^|$patches/|" | xargs -r cat |
	awk '/^diff --git / { print "/" substr($3, 3); print "/" substr($4, 3) }' |
	{ sort -u; echo .gitattributes; } |
	git -C "$scratch" sparse-checkout set --no-cone --stdin
git -C "$scratch" checkout -q
while read -r p; do
	if ! pq_am "$scratch" "$patches/$p"; then
		echo "check-roundtrip: ${patches#"$top"/}/$p does not apply" >&2
		exit 1
	fi
done < <(pq_series)

mkdir -p "$out"
pq_export "$scratch" "$out" >/dev/null
while read -r p; do
	if ! cmp -s "$out/$p" "$patches/$p"; then
		echo "check-roundtrip: ${patches#"$top"/}/$p changes when applied and exported again:" >&2
		diff -u "$patches/$p" "$out/$p" >&2 || true
		status=1
	fi
done < <(pq_series)

n=$(pq_series | wc -l)
cover=$patches/cover-letter.patch
if [ -f "$cover" ] && ! grep -q "^Subject: \[PATCH 0/$n\] " "$cover"; then
	echo "check-roundtrip: cover-letter.patch does not say [PATCH 0/$n]" >&2
	status=1
fi
[ $status -eq 0 ] && echo "check-roundtrip: $n patches round-trip byte for byte"
exit $status
