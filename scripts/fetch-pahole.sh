#!/bin/bash
# Make Debian's pahole (with the libbpf it needs) available as
# build/pahole/pahole, unpacked from the machine's own Debian release and
# not installed: the kernel's Kconfig records the version of any pahole in
# PATH (CONFIG_PAHOLE_VERSION), so installing one would change the config
# of every kernel the series builds and rebuild them all.  Prints the path
# of a wrapper that runs it.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

out=$build_root/pahole
if [ ! -x "$out/pahole" ]; then
	pq_deb_extract amd64 "$out" pahole libbpf1 libdw1
	lib=$out/root/usr/lib/x86_64-linux-gnu
	if [ ! -x "$out/root/usr/bin/pahole" ] || [ ! -d "$lib" ]; then
		echo "fetch-pahole: the packages hold no pahole or no libraries" >&2
		exit 1
	fi
	printf '#!/bin/sh\nLD_LIBRARY_PATH=%q exec %q "$@"\n' "$lib" \
		"$out/root/usr/bin/pahole" > "$out/pahole.tmp"
	chmod 755 "$out/pahole.tmp"
	mv "$out/pahole.tmp" "$out/pahole"
fi
echo "$out/pahole"
