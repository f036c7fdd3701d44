#!/bin/bash
# Make $build/linux (build/BASE/linux) the base tree of the selected base
# ($BASE, see scripts/bases) with its queue applied on branch "series":
# unpack the Debian linux-source tarball (scripts/fetch-source.sh) into a
# git repository whose first commit is tagged "base", then "git am" every
# patch listed in patches/queue-BASE/series.  An up-to-date tree is left
# alone so that rebuilds stay incremental; commits that are not in the
# queue are kept on a "saved/" branch before the tree is reset.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

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

if [ -d "$tree/.git/rebase-apply" ]; then
	git_tree am --abort
fi
if [ -n "$(git -C "$tree" status --porcelain --untracked-files=no)" ]; then
	echo "prepare-tree: $tree has uncommitted changes: commit them and run" \
		"'make export', or discard them with 'git -C $tree reset --hard'" >&2
	exit 1
fi

if series_applied; then
	echo "prepare-tree: $(pq_series | wc -l) patches already applied, tree unchanged"
	exit 0
fi
if [ "$(git -C "$tree" rev-parse HEAD)" != "$(git -C "$tree" rev-parse base)" ]; then
	saved=saved/$(date +%Y%m%d-%H%M%S)
	git -C "$tree" branch -f "$saved" HEAD
	echo "prepare-tree: commits in $tree differ from patches/; kept them on branch $saved"
fi
git_tree checkout -q -B series base
apply_series
echo "prepare-tree: applied $(pq_series | wc -l) patches from ${patches#"$top"/}/series"
