#!/bin/sh
# Install, from Debian's package registry only, whatever tool this build is
# missing. Each line below is "how to tell it is there" -> "package".
# Usage: tools/deps.sh [group...]   groups: build test bench fuzz debug docs uefi (default: all)
set -eu

# Two makes (or make -j) may ask at once; apt holds its locks for the whole
# run and a second apt fails at once on the lists lock: take turns, and look
# at what is missing only once it is our turn.
exec 9>"${TMPDIR:-/tmp}/hotmm-deps.lock"
flock 9

need=""
want() {	# want GROUP CHECK PACKAGE
	case " ${GROUPS} " in *" $1 "*|*" all "*) ;; *) return 0 ;; esac
	if ! sh -c "$2" >/dev/null 2>&1; then
		need="$need $3"
	fi
}

GROUPS="${*:-all}"
want build "command -v gcc"                          gcc
want build "command -v make"                         make
want build "command -v grub-mkrescue"                grub-common
want build "test -d /usr/lib/grub/i386-pc"           grub-pc-bin
want build "test -d /usr/lib/grub/x86_64-efi"        grub-efi-amd64-bin
want build "command -v xorriso"                      xorriso
want build "command -v mformat"                     mtools
want build "test -f /usr/src/newlib/newlib-3.3.0.tar.xz" newlib-source
want build "command -v xz"                           xz-utils
want build "command -v dpkg-source"                  dpkg-dev
want build "command -v python3"                      python3
want build "command -v qemu-system-x86_64"           qemu-system-x86
want test  "test -f /usr/include/cmocka.h"           libcmocka-dev
want test  "test -f /usr/share/OVMF/OVMF_CODE_4M.fd" ovmf
want uefi  "test -f /usr/share/OVMF/OVMF_CODE_4M.fd" ovmf
want test  "command -v iasl"                         acpica-tools
want test  "command -v clang"                        clang
want test  "command -v chromium"                     chromium
want fuzz  "command -v clang"                        clang
want bench "test -x /bin/busybox"                    busybox-static
want bench "command -v cpio"                         cpio
want bench "command -v dpkg-deb"                     dpkg
want bench "/usr/bin/python3 -c 'import matplotlib'" python3-matplotlib
want bench "test -f /boot/memtest86+x64.bin"          memtest86+
want debug "command -v gdb"                          gdb
want docs  "command -v dot"                          graphviz

[ -z "$need" ] && exit 0
# shellcheck disable=SC2086
need=$(printf '%s\n' $need | sort -u | tr '\n' ' ')
echo "deps: installing from Debian packages: $need"
if [ "$(id -u)" != 0 ]; then
	echo "deps: not root; run as root: apt-get install -y $need" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q -o DPkg::Lock::Timeout=600
# shellcheck disable=SC2086
apt-get install -y -q -o DPkg::Lock::Timeout=600 $need
