#!/bin/bash
# Make Debian's busybox-static for ARCH (x86_64 or arm64) available as
# build/busybox/DEBIAN_ARCH/busybox, for the initramfs of the kselftest
# boots.  It comes from the machine's own Debian release through a private
# apt state (see pq_private_apt in lib.sh), for any architecture: nothing is
# installed and no foreign architecture is added to dpkg.  Prints the path.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

case ${1:-} in
x86_64) debarch=amd64 ;;
arm64) debarch=arm64 ;;
*)
	echo "fetch-busybox: usage: fetch-busybox.sh x86_64|arm64" >&2
	exit 1
	;;
esac

out=$build_root/busybox/$debarch
if [ ! -x "$out/busybox" ]; then
	rm -rf "$out"
	pq_deb_extract "$debarch" "$out" busybox-static
	cp "$out/root/bin/busybox" "$out/busybox.tmp"
	dpkg-deb -f "$out"/deb/busybox-static_*.deb Package Version Architecture |
		awk '{ printf "%s%s", (NR > 1 ? " " : ""), $2 } END { print "" }' > "$out/version"
	rm -rf "$out/deb" "$out/root"
	mv "$out/busybox.tmp" "$out/busybox"
fi
echo "fetch-busybox: $(cat "$out/version")" >&2
echo "$out/busybox"
