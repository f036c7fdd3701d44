#!/bin/bash
# Make $build/linux (build/BASE/linux) the base tree of the selected base
# ($BASE, see scripts/bases) with its queue applied on branch "series":
# unpack the Debian linux-source tarball (scripts/fetch-source.sh) into a
# git repository whose first commit is tagged "base", then "git am" every
# patch listed in patches/queue-BASE/series.  The tree's branch is the
# truth and the queue its export: a tree untouched since the last apply or
# export is left alone while the queue is unchanged (rebuilds stay
# incremental) and re-applied when the queue has moved on (a git pull);
# a tree with commits that were not exported stops every target, so that
# none tests code other than what is checked out (pq_state in lib.sh).
# With --verify, only that check is made (make check makes it for every
# base before it starts).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

# Stop, before anything is fetched, built or changed, if the tree has
# uncommitted changes or commits that were not exported.
refuse_unexported() {
	local head recorded base_commit rel stopped

	[ -d "$tree/.git" ] && git -C "$tree" rev-parse -q --verify base >/dev/null || return 0
	rel=${tree#"$top"/}
	if [ "$(git -C "$tree" symbolic-ref -q --short HEAD)" != series ]; then
		echo "prepare-tree: $rel is not on branch series, which the targets build" \
			"and make export writes out: git -C $rel checkout series" >&2
		exit 1
	fi
	if [ -d "$tree/.git/rebase-apply" ] || [ -d "$tree/.git/rebase-merge" ] ||
	   [ -n "$(git -C "$tree" status --porcelain --untracked-files=no)" ]; then
		echo "prepare-tree: $rel has uncommitted changes (or a git am or rebase" \
			"under way): finish and commit them, then make export BASE=$base;" \
			"or discard them: git -C $rel reset --hard (git am --abort)" >&2
		exit 1
	fi

	head=$(git -C "$tree" rev-parse HEAD)
	recorded=$(pq_state_get head)
	base_commit=$(git -C "$tree" rev-parse base)
	[ -n "$recorded" ] && [ "$head" != "$recorded" ] && [ "$head" != "$base_commit" ] ||
		return 0
	stopped=$(pq_state_get incomplete)
	{
		echo "prepare-tree: $rel has commits that are not in ${patches#"$top"/}/"
		echo "(HEAD ${head:0:12}; last applied or exported: ${recorded:0:12})."
		echo "Nothing was built or tested."
		if [ -n "$stopped" ]; then
			echo "Applying the queue stopped at $stopped: apply it and the patches" \
				"after it (git am, fixed as needed), then:"
			echo "    make export BASE=$base"
		elif [ "$(pq_state_get queue)" != "$(pq_queue_sum)" ]; then
			echo "The queue has changed since then too (a git pull?), and make export" \
				"would overwrite that.  Keep your commits, let the new queue be" \
				"applied, then pick them and export:"
			echo "    git -C $rel branch -f saved/unexported"
			echo "    git -C $rel reset --hard ${recorded:0:12}"
			echo "    make tree BASE=$base"
			echo "    git -C $rel cherry-pick ${recorded:0:12}..saved/unexported"
		else
			echo "Write them to the queue:"
			echo "    make export BASE=$base"
		fi
		echo "or drop them:"
		echo "    git -C $rel reset --hard ${recorded:0:12}"
	} >&2
	exit 1
}

refuse_unexported
[ "${1:-}" != --verify ] || exit 0

"$top/scripts/fetch-source.sh"
tarball=$build/source/linux.tar.xz
version=$(cat "$build/source/version")

git_tree() {
	git -C "$tree" -c user.name="patch queue" -c user.email="pq@localhost" "$@"
}

unpack_base() {
	local tmp=$build/linux.tmp

	echo "prepare-tree: unpacking $tarball"
	rm -rf "$tmp" "$tree"
	mkdir -p "$tmp"
	tar -xJf "$tarball" -C "$tmp" --strip-components=1
	git -C "$tmp" init -q -b series
	# Debian's top-level .gitignore ends in "/*": force the whole tree in.
	git -C "$tmp" add -f .
	git -C "$tmp" -c user.name="patch queue" -c user.email="pq@localhost" \
		commit -q -m "Linux $(make -s -C "$tmp" kernelversion) (Debian $pkg $version)"
	git -C "$tmp" tag base
	git -C "$tmp" config notes.rewriteRef refs/notes/commits
	echo "$version" > "$tmp/.git/pq-base-version"
	mv "$tmp" "$tree"
}

# True when the commits on top of base are exactly the series in patches/.
series_applied() {
	local out=$build/applied-series status=0 p

	rm -rf "$out"
	mkdir -p "$out"
	[ "$(pq_export "$tree" "$out")" = "$(pq_series)" ] || status=1
	if [ $status -eq 0 ]; then
		while read -r p; do
			cmp -s "$out/$p" "$patches/$p" || { status=1; break; }
		done < <(pq_series)
	fi
	rm -rf "$out"
	return $status
}

apply_series() {
	local p

	while read -r p; do
		if [ ! -f "$patches/$p" ]; then
			echo "prepare-tree: ${patches#"$top"/}/series names $p, which does not exist" >&2
			exit 1
		fi
		if ! pq_am "$tree" "$patches/$p"; then
			git_tree am --abort || true
			pq_state_record
			echo "incomplete $p" >> "$tree/.git/pq-state"
			echo "prepare-tree: ${patches#"$top"/}/$p does not apply to $pkg $version;" \
				"the tree stays at the patch before it" >&2
			exit 1
		fi
	done < <(pq_series)
}

mkdir -p "$build"
if [ ! -d "$tree/.git" ] || ! git -C "$tree" rev-parse -q --verify base >/dev/null ||
   [ "$(cat "$tree/.git/pq-base-version" 2>/dev/null)" != "$version" ]; then
	unpack_base
fi

head=$(git -C "$tree" rev-parse HEAD)
recorded=$(pq_state_get head)
base_commit=$(git -C "$tree" rev-parse base)
if [ "$head" = "$recorded" ] && [ "$(pq_state_get queue)" = "$(pq_queue_sum)" ] &&
   [ -z "$(pq_state_get incomplete)" ]; then
	echo "prepare-tree: $(pq_series | wc -l) patches already applied, tree unchanged"
	exit 0
fi
# Re-apply: the queue moved on, the last apply stopped, the tree was reset
# to base, or nothing is recorded (a tree from before the state was kept);
# then what the tree had is kept on a branch, unless it is the queue.
if [ -z "$recorded" ] && [ "$head" != "$base_commit" ]; then
	if series_applied; then
		pq_state_record
		echo "prepare-tree: $(pq_series | wc -l) patches already applied, tree unchanged"
		exit 0
	fi
	saved=saved/$(date +%Y%m%d-%H%M%S)
	git -C "$tree" branch -f "$saved" HEAD
	echo "prepare-tree: kept the commits of $tree, which were not recorded, on branch $saved"
fi
rm -f "$tree/.git/pq-state"
git_tree checkout -q -B series base
apply_series
pq_state_record
echo "prepare-tree: applied $(pq_series | wc -l) patches from ${patches#"$top"/}/series"
