#!/bin/bash
# Make the base tree's tarball of the selected base ($BASE, see
# scripts/bases) available as $build/source/linux.tar.xz, its Debian version
# in $build/source/version.  A base from the machine's own release comes
# from the installed linux-source package (scripts/install-deps.sh installs
# it).  A base from another suite (Debian unstable for mainline) is read
# through a private apt state under build/: its own sources list, lists,
# cache and preferences, the Debian mirror that the machine's apt sources
# already name, and Debian's archive keyring.  The machine's apt sources,
# pins and installed packages are never changed; nothing is installed.
# When the pinned version is no longer served, the newest linux-source of
# the suite is used instead, with a loud warning.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

out=$build/source
mkdir -p "$out"

if [ "$suite" = system ]; then
	version=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
	if [ -z "$version" ] || [ ! -f "/usr/src/$pkg.tar.xz" ]; then
		echo "fetch-source: $pkg is not installed; run scripts/install-deps.sh" >&2
		exit 1
	fi
	ln -sfn "/usr/src/$pkg.tar.xz" "$out/linux.tar.xz"
	echo "$version" > "$out/version"
	echo "fetch-source: base $base is Debian $pkg $version"
	exit 0
fi

# The pinned version, downloaded already: no need to ask the mirror.
if [ "$(cat "$out/version" 2>/dev/null)" = "$pin" ] && [ -f "$out/linux.tar.xz" ]; then
	echo "fetch-source: base $base is Debian $pkg $pin ($suite)"
	exit 0
fi

pq_private_apt "$suite" "$(dpkg --print-architecture)"

version=$pin
if ! apt-cache "${private[@]}" madison "$pkg" | awk '{ print $3 }' | grep -qxF "$pin"; then
	newest=$(apt-cache "${private[@]}" depends linux-source |
		 awk '/Depends: linux-source-/ { print $2; exit }')
	version=$(apt-cache "${private[@]}" madison "$newest" | awk 'NR == 1 { print $3 }')
	if [ -z "$newest" ] || [ -z "$version" ]; then
		echo "fetch-source: $suite serves neither $pkg $pin nor any linux-source" >&2
		exit 1
	fi
	echo "fetch-source: WARNING: $suite no longer serves the pinned $pkg $pin;" \
		"falling back to its newest kernel source, $newest $version" >&2
	pkg=$newest
fi

if [ "$(cat "$out/version" 2>/dev/null)" != "$version" ] || [ ! -f "$out/linux.tar.xz" ]; then
	echo "fetch-source: downloading $pkg $version from $suite"
	rm -f "$out"/*.deb "$out/linux.tar.xz" "$out/version"
	(cd "$out" && apt-get -qq "${private[@]}" download "$pkg=$version")
	dpkg-deb --fsys-tarfile "$out"/*.deb | tar -xO "./usr/src/$pkg.tar.xz" > "$out/linux.tar.xz.tmp"
	mv "$out/linux.tar.xz.tmp" "$out/linux.tar.xz"
	rm -f "$out"/*.deb
	echo "$version" > "$out/version"
fi
echo "fetch-source: base $base is Debian $pkg $version ($suite)"
