#!/bin/bash
# Run one of the checks that linux-pm's maintainers and build robots run, on
# the files the series touches, in the unpatched base tree and in the patched
# tree, and fail if the series adds a warning (printed with its file).
#   check-gates.sh GATE
# GATE is one of:
#   w1          a W=1 build of the touched .c files
#   sparse      sparse (C=2) on the same files
#   kernel-doc  scripts/kernel-doc -none -Wall (-v before 6.12) on the
#               touched .c and .h files
#   htmldocs    the documentation build of Documentation/power
#   coccicheck  coccicheck (MODE=report) on the touched .c files outside
#               tools/
# The objects are built with the configuration of the x86_64 KUnit kernel
# (build/kunit, or build/kunit-debug on a base without the normal kernel:
# one of them must have been built).  Warnings are compared by file and
# message, without line numbers.  The base tree's warnings are kept under
# build/gates and reused while the base version and the list of touched
# files stay the same.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

# The name of the coccicheck report of FILE in TREE: its path and content.
cocci_key() {
	{ echo "$2"; cat "$1/$2"; } | sha1sum | cut -c1-40
}

# check-gates.sh --cocci TREE FILE CACHE: run every semantic patch that needs
# no OCaml (Debian's coccinelle cannot run those without an OCaml compiler)
# on one file, several at a time, once per content of the file.  This runs
# scripts/coccicheck as "make coccicheck M=FILE" would, but without make:
# since 6.13, M= must name a directory (the script reads the file from
# srcroot there, from KBUILD_EXTMOD before).
if [ "$1" = --cocci ]; then
	t=$2 f=$3 cache=$4/$(cocci_key "$2" "$3").txt
	[ ! -f "$cache" ] || exit 0
	rm -rf "$cache.d"
	mkdir -p "$cache.d"
	# Those with a report mode, as "make coccicheck MODE=report" picks them.
	# shellcheck disable=SC2016 # expanded by sh -c
	(cd "$t" && grep -rL -e 'script:ocaml' -e 'initialize:ocaml' \
		--include='*.cocci' scripts/coccinelle |
		xargs grep -l -E '^virtual[[:space:]]+report') | sort |
		xargs -P "$(nproc)" -I{} sh -c \
		'cd "$1" && srctree=. srcroot="./$3" KBUILD_EXTMOD="./$3" COCCI="$2" MODE=report \
			./scripts/coccicheck > "$4/$(echo "$2" | tr / _).txt" 2>&1' \
		sh "$t" {} "$f" "$cache.d"
	cat "$cache.d"/*.txt > "$cache.tmp"
	rm -rf "$cache.d"
	mv "$cache.tmp" "$cache"
	exit 0
fi

gate=$1
only=
gates=$build/gates
base_tree=$gates/base-tree
config=$build/kunit/.config
[ -f "$config" ] || config=$build/kunit-debug/.config
pq_ccache "$build"

# What only depends on file contents outlives build/, as ccache does: the
# coccicheck reports per file, and the base tree's warnings.
cache=${XDG_CACHE_HOME:-$HOME/.cache}/pm-async-work-gates/$(cat "$tree/.git/pq-base-version")
cocci_cache=$cache/cocci
mkdir -p "$gates"
touched=$(git -C "$tree" diff --name-only base..series)
key=$(printf '%s\n%s\n%s\n' "$gate" "$(sha1sum < "$config")" "$touched" |
	sha1sum | cut -c1-12)

if [ ! -d "$base_tree" ] ||
   [ "$(git -C "$base_tree" rev-parse HEAD)" != "$(git -C "$tree" rev-parse base)" ]; then
	git -C "$tree" worktree remove --force "$base_tree" 2>/dev/null || rm -rf "$base_tree"
	git -C "$tree" worktree prune
	git -C "$tree" worktree add -q --detach "$base_tree" base
fi

# The touched files that exist in TREE and match the pattern (and, if
# $only is set, are among the files it lists).
files_in() {
	local t=$1 pattern=$2 f

	while read -r f; do
		if [[ ! $f =~ $pattern ]] || [ ! -f "$t/$f" ]; then
			continue
		fi
		[ -z "$only" ] || grep -qxF "$f" <<<"$only" || continue
		echo "$f"
	done <<<"$touched"
	return 0
}

# objects TREE OBJDIR: the touched .c files that the configuration builds,
# as objects (a single-object make fails for the others).
objects() {
	local t=$1 objdir=$2 f

	for f in $(files_in "$t" '\.c$'); do
		if kmake "$t" "$objdir" "${f%.c}.o" >/dev/null 2>&1; then
			echo "${f%.c}.o"
		fi
	done
}

kmake() {
	local t=$1 objdir=$2
	shift 2
	make -C "$t" O="$objdir" ARCH=x86_64 CC="ccache gcc" -j"$(nproc)" "$@"
}

prepare_objdir() {
	local t=$1 objdir=$2

	mkdir -p "$objdir"
	if ! cmp -s "$config" "$objdir/.config.pq"; then
		cp "$config" "$objdir/.config"
		cp "$config" "$objdir/.config.pq"
		kmake "$t" "$objdir" olddefconfig >/dev/null
	fi
	kmake "$t" "$objdir" prepare >/dev/null 2>&1
}

# The kernel's top-level directories: what precedes them in a path (the
# tree, or a relative path from the object directory) is dropped.
topdirs='Documentation|arch|block|certs|crypto|drivers|fs|include|init|io_uring|ipc|kernel|lib|mm|net|rust|samples|scripts|security|sound|tools|usr|virt'

# Print the warnings of GATE for the tree T (its paths made relative to it),
# one per line, as "file: message".
warnings() {
	local t=$1 objdir=$gates/$2-obj objs f

	case $gate in
	w1|sparse)
		prepare_objdir "$t" "$objdir"
		objs=$(objects "$t" "$objdir")
		[ -n "$objs" ] || return 0
		# shellcheck disable=SC2086 # one word per object
		(cd "$objdir" && rm -f $objs)
		if [ "$gate" = w1 ]; then
			# shellcheck disable=SC2086
			kmake "$t" "$objdir" W=1 $objs 2>&1
		else
			# shellcheck disable=SC2086
			kmake "$t" "$objdir" W=1 $objs >/dev/null 2>&1
			# shellcheck disable=SC2086
			kmake "$t" "$objdir" W=1 C=2 $objs 2>&1
		fi
		;;
	kernel-doc)
		# -Wall where the tree's kernel-doc has it (6.12 on), -v
		# before; the Python one of 7.2 writes "Warning: FILE:LINE".
		local kdoc=(-none -v)
		grep -q -e '-Wall' "$t/scripts/kernel-doc" && kdoc=(-none -Wall)
		for f in $(files_in "$t" '\.[ch]$'); do
			(cd "$t" && PATH=/usr/bin:$PATH ./scripts/kernel-doc "${kdoc[@]}" "$f" 2>&1)
		done | sed -E 's/^Warning: ([^ :]+):([0-9]+) /\1:\2: warning: /'
		;;
	htmldocs)
		kmake "$t" "$objdir-docs" SPHINXDIRS=power htmldocs 2>&1
		;;
	coccicheck)
		# The semantic patches are for kernel code, not for the user
		# space programs under tools/ (the selftests).
		for f in $(files_in "$t" '\.c$' | grep -v '^tools/'); do
			"$top/scripts/check-gates.sh" --cocci "$t" "$f" "$cocci_cache"
			cat "$cocci_cache/$(cocci_key "$t" "$f").txt"
		done
		;;
	esac | sed -E -e "s|$t/||g" -e "s#^([^ :]*/)?(($topdirs)/)#\\2#" |
		{ grep -E '^[^ :]+:[0-9]+(:[0-9]+)?(-[0-9]+)?:? *(warning|error|WARNING|ERROR|SEVERE|CRITICAL)\b' || true; } |
		{ grep -vE '^(make|scripts/Makefile)' || true; } |
		sed -E 's|^([^ :]+):[0-9]+(:[0-9]+)?(-[0-9]+)?:? *|\1: |' | sort
}

# The patched tree first: without a warning there, nothing can be new, and
# the base tree need not be checked at all.  coccicheck, the slowest, checks
# in the base tree only the files that have reports in the patched one.
warnings "$tree" series > "$gates/series-$gate.txt"
if [ ! -s "$gates/series-$gate.txt" ]; then
	echo "check-gates: $gate: no warnings in the patched files"
	exit 0
fi
if [ "$gate" = coccicheck ]; then
	only=$(cut -d: -f1 "$gates/series-$gate.txt" | sort -u)
	key=$(printf '%s\n%s\n' "$key" "$only" | sha1sum | cut -c1-12)
fi

mkdir -p "$cache"
base_out=$cache/base-$gate-$key.txt
if [ ! -f "$base_out" ]; then
	warnings "$base_tree" base > "$base_out.tmp"
	mv "$base_out.tmp" "$base_out"
fi

new=$(comm -13 "$base_out" "$gates/series-$gate.txt")
if [ -n "$new" ]; then
	echo "check-gates: $gate: the series adds these warnings:"
	echo "$new"
	exit 1
fi
echo "check-gates: $gate: no new warnings" \
	"($(wc -l < "$gates/series-$gate.txt") in the patched files, $(wc -l < "$base_out") in the base)"
