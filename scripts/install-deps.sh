#!/bin/bash
# Install what building the series and running its KUnit suites needs,
# including the pinned Debian linux-source packages of the bases from the
# machine's own release (scripts/bases).  Falls back to a package's newest
# candidate, loudly, when its pin is gone.  Does nothing, not even an
# apt-get update, when all of it is installed already.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

pkgs=(build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils
      python3 python3-ply python3-git perl git ccache
      qemu-system-x86 shellcheck
      gcc-aarch64-linux-gnu qemu-system-arm
      kmod libc6-dev-arm64-cross rsync
      sparse coccinelle python3-sphinx python3-sphinx-rtd-theme
      gnuplot-nox python3-junitparser)

if [ "$(id -u)" -ne 0 ]; then
	sudo=sudo
else
	sudo=
fi
export DEBIAN_FRONTEND=noninteractive

# installed PACKAGE [VERSION]: PACKAGE is installed (at VERSION).
installed() {
	local v
	v=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$1" 2>/dev/null) || return 1
	[[ $v == "ii "* ]] && { [ -z "${2:-}" ] || [ "${v#ii  }" = "$2" ]; }
}

missing=()
for p in "${pkgs[@]}"; do
	installed "$p" || missing+=("$p")
done
for b in $(pq_bases); do
	[ "$(pq_base_field "$b" 4)" = system ] || continue
	installed "$(pq_base_field "$b" 2)" "$(pq_base_field "$b" 3)" ||
		missing+=("$(pq_base_field "$b" 2)")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: everything is installed"
	exit 0
fi
echo "install-deps: installing ${missing[*]} (and the pinned base trees)"

$sudo apt-get update -qq

# The base trees of the machine's own release (scripts/bases), pinned;
# the others are fetched without installing anything (fetch-source.sh).
sources=()
for b in $(pq_bases); do
	[ "$(pq_base_field "$b" 4)" = system ] || continue
	pkg=$(pq_base_field "$b" 2)
	pin=$(pq_base_field "$b" 3)
	version=$pin
	if ! apt-cache madison "$pkg" | awk '{print $3}' | grep -qxF "$pin"; then
		version=$(apt-cache policy "$pkg" | awk '/Candidate:/ {print $2}')
		if [ -z "$version" ] || [ "$version" = "(none)" ]; then
			echo "install-deps: $pkg is not available from any configured repository" >&2
			exit 1
		fi
		echo "install-deps: WARNING: pinned $pkg $pin is no longer served;" \
			"falling back to the newest candidate $version" >&2
	fi
	sources+=("$pkg=$version")
done

$sudo apt-get install -y -qq --no-install-recommends --allow-downgrades "${pkgs[@]}" \
	"${sources[@]}" >/dev/null
echo "install-deps: base trees: ${sources[*]}"
