#!/bin/bash
# Apply a queue to a kernel git tree the user already has (KERNEL_SRC), on
# a new branch in a separate worktree: the user's checked-out branch, index
# and files are never touched.  The queue is the one for the tree's version
# (7.2.y takes queue-7.2, 6.12.y queue-6.12, ...), or the one $BASE names.
# Refuses a tree with uncommitted changes, and a branch name that already
# exists.
#   apply-to-own-tree.sh KERNEL_SRC WORKTREE BRANCH
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

src=$1 wt=$2 branch=$3

if ! git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	echo "apply-to-own-tree: KERNEL_SRC=$src is not a git tree" >&2
	exit 1
fi
kver=$(make -s -C "$src" kernelversion)
if [ -z "${BASE:-}" ]; then
	if ! pq_bases | grep -qxF "${kver%.*}"; then
		echo "apply-to-own-tree: $src is Linux $kver; no queue is kept for ${kver%.*}." \
			"Pick the nearest with BASE= (one of: $(pq_bases | tr '\n' ' '))" >&2
		exit 1
	fi
	pq_select_base "${kver%.*}"
fi
echo "apply-to-own-tree: Linux $kver, queue ${patches#"$top"/}"
if [ -n "$(git -C "$src" status --porcelain --untracked-files=no)" ]; then
	echo "apply-to-own-tree: $src has uncommitted changes; commit or stash them first" >&2
	exit 1
fi
if git -C "$src" rev-parse -q --verify "refs/heads/$branch" >/dev/null; then
	echo "apply-to-own-tree: branch $branch already exists in $src;" \
		"delete it or pick another with BRANCH=name" >&2
	exit 1
fi

git -C "$src" worktree prune
if [ -e "$wt" ]; then
	echo "apply-to-own-tree: $wt already exists; remove it with" \
		"'git -C $src worktree remove $wt' or 'make clean'" >&2
	exit 1
fi
mkdir -p "$(dirname "$wt")"
git -C "$src" worktree add -q -b "$branch" "$wt" HEAD
echo "apply-to-own-tree: $src at $(git -C "$src" describe --always --tags HEAD)," \
	"branch $branch, worktree $wt"
while read -r p; do
	if ! git -C "$wt" am -q "$patches/$p"; then
		git -C "$wt" am --abort || true
		echo "apply-to-own-tree: ${patches#"$top"/}/$p does not apply to $src" >&2
		exit 1
	fi
done < <(pq_series)
echo "apply-to-own-tree: applied $(pq_series | wc -l) patches on branch $branch"
