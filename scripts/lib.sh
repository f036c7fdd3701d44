# shellcheck shell=bash
# Settings shared by the patch-queue scripts; sourced, not run.
# shellcheck disable=SC2034 # the variables are used by the sourcing scripts

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_root=${BUILD_DIR:-$top/build}

# The bases of scripts/bases, mainline first, one name per line.
pq_bases() {
	awk '!/^#/ && NF { print $1 }' "$top/scripts/bases"
}

# pq_base_field NAME N: field N of the line of base NAME in scripts/bases.
pq_base_field() {
	awk -v b="$1" -v n="$2" '!/^#/ && $1 == b { print $n }' "$top/scripts/bases"
}

# Select the base the scripts work on: $BASE, or mainline.  Sets base, its
# Debian package, pinned version and suite, its queue (patches), and its
# build directory (build) holding the tree with the series (tree).
pq_select_base() {
	base=${1:-$(pq_bases | head -n 1)}
	if [ -z "$(pq_base_field "$base" 1)" ]; then
		echo "${0##*/}: unknown base '$base'; scripts/bases has:" \
			"$(pq_bases | tr '\n' ' ')" >&2
		exit 1
	fi
	pkg=$(pq_base_field "$base" 2)
	pin=$(pq_base_field "$base" 3)
	suite=$(pq_base_field "$base" 4)
	extra_checks=$(pq_base_field "$base" 5)
	patches=$top/patches/queue-$base
	build=$build_root/$base
	tree=$build/linux
}
pq_select_base "${BASE:-}"

# git as the patch queue needs it, whatever the user's configuration says:
# these options make "git am" followed by "git format-patch" reproduce the
# patch files byte for byte.
pq_format_patch() {
	git -c core.abbrev=12 -c diff.algorithm=myers -c diff.renames=true \
	    -c diff.noprefix=false -c diff.mnemonicPrefix=false \
	    -c diff.relative=false -c format.signature= \
	    -c format.forceInBodyFrom=false \
	    format-patch --zero-commit --no-signature --no-thread --notes \
	    --no-cover-letter --numbered --no-attach --no-base "$@"
}

# pq_export TREE OUT: the commits on top of "base" in TREE as patch files
# in OUT, named as in a queue: after their subject, without the number that
# format-patch puts first, so that a change has the same file name in every
# base's queue, as in the stable kernel's queues, whatever its position.
# Prints the file names in the order of the commits.
pq_export() {
	local f name

	(cd "$1" && pq_format_patch -q -o "$2" base..HEAD >/dev/null)
	for f in "$2"/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -e "$f" ] || continue
		name=${f##*/}
		name=${name#[0-9][0-9][0-9][0-9]-}
		if [ -e "$2/$name" ]; then
			echo "${0##*/}: two patches would be named $name: reword a subject" >&2
			return 1
		fi
		mv "$f" "$2/$name"
		echo "$name"
	done
}

# pq_ccache DIR: use ccache (~/.cache/ccache, 5 GiB) with absolute paths
# under DIR, the directory holding the trees and the build output, made
# relative, so that a fresh clone elsewhere still hits the cache.
pq_ccache() {
	export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
	CCACHE_BASEDIR=$(cd "$1" && pwd)
	export CCACHE_BASEDIR
	ccache --max-size=5G >/dev/null
}

# pq_known_symbols TREE: copy the Kconfig fragment on standard input to
# standard output without the CONFIG_ lines whose symbol TREE (a git tree)
# does not define: a commit of the series before the one that adds a symbol
# builds without it (make bisect).
pq_known_symbols() {
	local t=$1 line sym

	while IFS= read -r line; do
		sym=${line#CONFIG_}
		sym=${sym%%=*}
		if [ "$sym" = "$line" ] ||
		   git -C "$t" grep -q -E "^(menu)?config $sym\$" -- '*Kconfig*'; then
			echo "$line"
		fi
	done
}

# pq_private_apt SUITE ARCH: set "private" to the options of a private apt
# state under build/ for Debian's SUITE and architecture ARCH (its own
# sources list, lists, cache, status and preferences) and update its lists.
# It reads the mirror that the machine's apt sources name for the machine's
# own Debian release, with Debian's archive keyring; the machine's apt
# sources, pins and installed packages are never changed.
pq_private_apt() {
	local suite=$1 arch=$2 state codename uri

	state=$build_root/apt-$suite-$arch
	mkdir -p "$state/lists/partial" "$state/cache/archives/partial" \
		"$state/etc/preferences.d" "$state/etc/sources.list.d"
	touch "$state/status"
	private=(-o Dir::State="$state" -o Dir::State::Lists="$state/lists"
		 -o Dir::State::status="$state/status" -o Dir::Cache="$state/cache"
		 -o Dir::Etc::SourceList="$state/etc/sources.list"
		 -o Dir::Etc::SourceParts="$state/etc/sources.list.d"
		 -o Dir::Etc::Preferences="$state/etc/preferences"
		 -o Dir::Etc::PreferencesParts="$state/etc/preferences.d"
		 -o APT::Architecture="$arch" -o APT::Architectures="$arch"
		 -o APT::Sandbox::User=root)

	codename=$(pq_codename)
	# shellcheck disable=SC2016 # apt's format, not the shell's
	uri=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' |
		awk -v c="$codename" '$2 == c && $3 == "main" { print $1; exit }')
	if [ -z "$uri" ]; then
		echo "${0##*/}: the machine's apt sources name no Debian mirror for $codename main" >&2
		exit 1
	fi
	echo "deb [arch=$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" \
		> "$state/etc/sources.list"
	apt-get -qq "${private[@]}" update
}

# pq_deb_extract DEBIAN_ARCH DIR PACKAGE...: download PACKAGEs of the
# machine's own Debian release for DEBIAN_ARCH through a private apt state
# (pq_private_apt) and unpack them into DIR/root, installing nothing.
pq_deb_extract() {
	local debarch=$1 dir=$2 deb
	shift 2

	rm -rf "$dir/deb" "$dir/root"
	mkdir -p "$dir/deb"
	pq_private_apt "$(pq_codename)" "$debarch" >&2
	(cd "$dir/deb" && apt-get -qq "${private[@]}" download "$@" >&2)
	for deb in "$dir"/deb/*.deb; do
		dpkg-deb -x "$deb" "$dir/root"
	done
}

# pq_initramfs_root ROOT BUSYBOX: make ROOT the skeleton of a busybox
# initramfs whose /init is scripts/kselftest-init (it runs /kselftest-run
# in /kselftest between two marker lines, then reboots).
pq_initramfs_root() {
	rm -rf "$1"
	mkdir -p "$1"/{bin,dev,proc,sys,tmp,kselftest}
	cp "$2" "$1/bin/busybox"
	ln -s busybox "$1/bin/sh"
	install -m 755 "$top/scripts/kselftest-init" "$1/init"
}

# pq_initramfs_pack ROOT CPIO: pack ROOT as the initramfs CPIO.
pq_initramfs_pack() {
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$2"
}

# The codename of the machine's Debian release (bookworm for Debian 12).
pq_codename() {
	# shellcheck source=/dev/null
	(. /etc/os-release && echo "$VERSION_CODENAME")
}

# The patch files of the selected base's queue, in order, one per line.
pq_series() {
	grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$patches/series" || true
}

# pq_am TREE PATCH: "git am" PATCH in TREE.  What the patch says below its
# "---" line (a backport's notes: the "Notes:" section that format-patch
# --notes writes) becomes the commit's git note, so that exporting the
# commit gives the patch back byte for byte.
pq_am() {
	local t=$1 p=$2 notes

	git -C "$t" -c user.name="patch queue" -c user.email="pq@localhost" \
		am -q --keep-cr "$p" || return
	notes=$(awk '!s && /^---$/ { s = 1; next }
		     s == 1 && /^$/ { next }
		     s == 1 { if ($0 != "Notes:") exit; s = 2; next }
		     s == 2 && /^    / { print substr($0, 5); next }
		     s == 2 { exit }' "$p")
	[ -z "$notes" ] || git -C "$t" notes add -f -m "$notes" HEAD
}

# What the tree of the selected base was last made from is kept in
# $tree/.git/pq-state: "head COMMIT", its HEAD after the last apply or
# export; "queue SUM", pq_queue_sum of the queue then; and, after an apply
# that stopped, "incomplete PATCH", the patch that did not apply.

# A checksum of the selected base's queue: its series and patch files.
pq_queue_sum() {
	local p

	{
		cat "$patches/series"
		while read -r p; do
			cat "$patches/$p" 2>/dev/null || echo "missing $p"
		done < <(pq_series)
	} | sha256sum | cut -d ' ' -f 1
}

# pq_state_get KEY: the recorded value of KEY (head, queue, incomplete),
# or nothing.
pq_state_get() {
	awk -v k="$1" '$1 == k { print $2 }' "$tree/.git/pq-state" 2>/dev/null || true
}

# Record the tree's HEAD and the queue as they are now.
pq_state_record() {
	printf 'head %s\nqueue %s\n' "$(git -C "$tree" rev-parse HEAD)" \
		"$(pq_queue_sum)" > "$tree/.git/pq-state"
}

# pq_base_has CHECK: the selected base gets CHECK (scripts/bases, field 5).
pq_base_has() {
	[[ ",$extra_checks," == *",$1,"* ]]
}
