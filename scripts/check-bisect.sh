#!/bin/bash
# Check that every patch of the series builds and keeps the KUnit suites
# passing, on x86_64 and on arm64 (or the architectures named in
# BISECT_ARCHES): check out each commit of build/linux in turn, build and
# run kunit.py there, and go back to the tip of the series at the end.
# Commits before the one that adds the .kunitconfig use the symbols of its
# final version that they already have.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

: "${KUNITCONFIG:=drivers/base/power/.kunitconfig}"

if [ -n "$(git -C "$tree" status --porcelain --untracked-files=no)" ]; then
	echo "check-bisect: $tree has uncommitted changes" >&2
	exit 1
fi
trap 'git -C "$tree" checkout -q series' EXIT

status=0
for commit in $(git -C "$tree" rev-list --reverse base..series); do
	subject=$(git -C "$tree" log -1 --format=%s "$commit")
	git -C "$tree" checkout -q "$commit"
	if [ -f "$tree/$KUNITCONFIG" ]; then
		kunitconfig=$KUNITCONFIG
	else
		# Before the series adds it: the symbols of its final version
		# that this commit has already.
		kunitconfig=$build/bisect.kunitconfig
		git -C "$tree" show "series:$KUNITCONFIG" | pq_known_symbols "$tree" \
			> "$kunitconfig"
	fi
	for arch in ${BISECT_ARCHES:-x86_64 arm64}; do
		builddir=$build/kunit
		[ "$arch" = x86_64 ] || builddir=$build/kunit-$arch
		if KUNIT_ARCH=$arch KUNIT_KNOWN_SYMBOLS=1 \
				"$top/scripts/run-kunit.sh" "$tree" "$builddir" \
				"$kunitconfig" "$build/bisect.json" normal >"$build/bisect.log" 2>&1; then
			echo "check-bisect: PASS $arch $subject" \
				"($(grep -o 'Ran [0-9]* tests' "$build/bisect.log"))"
		else
			echo "check-bisect: FAIL $arch $subject"
			tail -n 30 "$build/bisect.log"
			status=1
		fi
	done
done
exit $status
