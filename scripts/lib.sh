# shellcheck shell=bash
# Settings shared by the patch-queue scripts; sourced, not run.
# shellcheck disable=SC2034 # the variables are used by the sourcing scripts

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
patches=$top/patches
build=${BUILD_DIR:-$top/build}
tree=$build/linux

# git as the patch queue needs it, whatever the user's configuration says:
# these options make "git am" followed by "git format-patch" reproduce the
# patch files byte for byte.
pq_format_patch() {
	git -c core.abbrev=12 -c diff.algorithm=myers -c diff.renames=true \
	    -c diff.noprefix=false -c diff.mnemonicPrefix=false \
	    -c diff.relative=false -c format.signature= \
	    -c format.forceInBodyFrom=false \
	    format-patch --zero-commit --no-signature --no-thread \
	    --no-cover-letter --numbered --no-attach --no-base "$@"
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

# The patch files of the series, in order, one per line.
pq_series() {
	grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$patches/series" || true
}
