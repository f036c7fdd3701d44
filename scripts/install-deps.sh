#!/bin/bash
# Install what building the series and running its KUnit suites needs,
# including the pinned Debian linux-source-6.1 package (the base tree).
# Falls back to the newest 6.1 candidate, loudly, when the pin is gone.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pin=$(cat "$here/base-version")
pkgs=(build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils
      python3 python3-ply python3-git perl git ccache
      qemu-system-x86 shellcheck
      gcc-aarch64-linux-gnu qemu-system-arm
      sparse coccinelle python3-sphinx python3-sphinx-rtd-theme)

if [ "$(id -u)" -ne 0 ]; then
	sudo=sudo
else
	sudo=
fi
export DEBIAN_FRONTEND=noninteractive

$sudo apt-get update -qq

version=$pin
if ! apt-cache madison linux-source-6.1 | awk '{print $3}' | grep -qxF "$pin"; then
	version=$(apt-cache policy linux-source-6.1 | awk '/Candidate:/ {print $2}')
	if [ -z "$version" ] || [ "$version" = "(none)" ]; then
		echo "install-deps: linux-source-6.1 is not available from any configured repository" >&2
		exit 1
	fi
	echo "install-deps: WARNING: pinned linux-source-6.1 $pin is no longer served;" \
		"falling back to the newest candidate $version" >&2
fi

$sudo apt-get install -y -qq --no-install-recommends --allow-downgrades "${pkgs[@]}" \
	"linux-source-6.1=$version" >/dev/null
echo "install-deps: base tree is Debian linux-source-6.1 $version"
