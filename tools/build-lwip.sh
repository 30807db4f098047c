#!/bin/sh
# Build lwIP 2.1.3 (Debian bookworm's source package, fetched with Debian's
# own `apt-get source`) as a static library for the kernel.
# Usage: tools/build-lwip.sh BUILD_DIR CC CFLAGS...   -> BUILD_DIR/liblwip.a
#
# The source comes from a private apt configuration (one deb-src line for
# bookworm, apt's state and cache under BUILD_DIR): the system's apt setup
# is read for its keyring only and never changed. The package's signature
# chain (InRelease -> Sources -> .dsc -> tarballs) is checked by apt and
# dpkg-source as for any `apt-get source`. LWIP_SRC=DIR uses an already
# unpacked tree instead (a machine without a Debian mirror).
# Only the core, IPv4 and Ethernet files are compiled: the port
# (lib/lwip/: lwipopts.h, arch/cc.h, sys_arch.c) is the kernel's, NO_SYS=1.
set -eu
out=$(realpath -m "$1")
cc=$2
shift 2
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$out"

exec 9>"$out/.lock"
flock 9

src=${LWIP_SRC:-}
if [ -z "$src" ]; then
	src=$(find "$out/src" -mindepth 1 -maxdepth 1 -type d -name 'lwip-2.1.3*' 2>/dev/null | head -1)
fi
if [ -z "$src" ]; then
	apt="$out/apt"
	rm -rf "$apt" "$out/src"
	mkdir -p "$apt/etc/sources.list.d" "$apt/state/lists/partial" "$apt/cache/archives/partial" "$out/src"
	echo "deb-src $mirror bookworm main" > "$apt/etc/sources.list"
	aptopts="-o Dir::Etc::sourcelist=$apt/etc/sources.list -o Dir::Etc::sourceparts=$apt/etc/sources.list.d \
		-o Dir::State=$apt/state -o Dir::Cache=$apt/cache -o Debug::NoLocking=1 -o APT::Sandbox::User=root -q"
	echo "build-lwip: apt-get source lwip (Debian bookworm, private apt state in $apt)"
	# shellcheck disable=SC2086
	apt-get $aptopts update > "$out/apt-update.log" 2>&1 ||
		{ tail -5 "$out/apt-update.log"; echo "build-lwip: cannot reach $mirror (set DEBIAN_MIRROR= or LWIP_SRC=DIR)" >&2; exit 1; }
	# shellcheck disable=SC2086
	(cd "$out/src" && apt-get $aptopts source lwip=2.1.3+dfsg1-2) > "$out/apt-source.log" 2>&1 ||
		{ tail -5 "$out/apt-source.log"; echo "build-lwip: apt-get source lwip failed (needs dpkg-dev)" >&2; exit 1; }
	src=$(find "$out/src" -mindepth 1 -maxdepth 1 -type d -name 'lwip-2.1.3*' | head -1)
	[ -n "$src" ] || { echo "build-lwip: no lwip-2.1.3 tree after apt-get source" >&2; exit 1; }
fi
[ -f "$src/src/core/tcp.c" ] || { echo "build-lwip: $src is not an lwIP tree (no src/core/tcp.c)" >&2; exit 1; }

rm -rf "$out/obj" "$out/liblwip.a"
mkdir -p "$out/obj"
files="core/init.c core/def.c core/inet_chksum.c core/ip.c core/mem.c core/memp.c core/netif.c core/pbuf.c
       core/raw.c core/stats.c core/sys.c core/tcp.c core/tcp_in.c core/tcp_out.c core/timeouts.c core/udp.c
       core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c core/ipv4/ip4.c core/ipv4/ip4_addr.c
       core/ipv4/ip4_frag.c core/ipv4/acd.c core/ipv4/autoip.c core/ipv4/igmp.c netif/ethernet.c"
objs=""
for f in $files; do
	[ -f "$src/src/$f" ] || continue	# acd.c is lwIP 2.2's; 2.1 keeps it in etharp
	o="$out/obj/$(echo "$f" | tr / _ | sed 's/\.c$/.o/')"
	# lwIP is third-party code: the kernel's flags, but its warnings are not ours to fix.
	"$cc" "$@" -Wno-error -w -I"$src/src/include" -c "$src/src/$f" -o "$o" ||
		{ echo "build-lwip: compiling $f failed" >&2; exit 1; }
	objs="$objs $o"
done
# shellcheck disable=SC2086
ar rcs "$out/liblwip.a" $objs
ln -sfn "$src/src/include" "$out/include"
echo "build-lwip: $(echo $objs | wc -w) files -> $out/liblwip.a"
