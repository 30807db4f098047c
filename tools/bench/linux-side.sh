#!/bin/sh
# DOC: linux-side.sh - the Linux half of `make bench`: Debian's kernel and a
# busybox initramfs, cached under build/bench/
#
#   tools/bench/linux-side.sh kernel OUTDIR     -> OUTDIR/vmlinuz, OUTDIR/linux-version
#   tools/bench/linux-side.sh initramfs OUTDIR  -> OUTDIR/initramfs.cpio.gz
#
# The initramfs holds static busybox, init.sh as /init, migfill
# (migfill.c, built here with the host's gcc -static: the migration
# benchmark's filler, see its DOC), and the kernel's virtio modules (the
# virtio-mem benchmark's; kept by the kernel step in OUTDIR/modules).
#
# The kernel package is unpacked with dpkg-deb, never installed: installing
# would run the initramfs-tools and GRUB hooks on the host. The package is the
# one linux-image-amd64 depends on today, so the version is recorded next to
# the image and in every result. Nothing is downloaded when OUTDIR/vmlinuz
# exists already.
set -eu

what=$1
out=$2
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)

case $what in
kernel)
	if [ -s "$out/vmlinuz" ] && [ -s "$out/linux-version" ] && [ -s "$out/modules/virtio_mem.ko" ]; then
		exit 0
	fi
	pkg=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
	if [ -z "$pkg" ]; then
		echo "linux-side: cannot tell which kernel package linux-image-amd64 depends on (apt-cache depends linux-image-amd64 printed no linux-image-N.N dependency); run apt-get update?" >&2
		exit 1
	fi
	echo "  APT     $pkg (download only, not installed)"
	rm -rf "$out/deb" "$out/linux"
	mkdir -p "$out/deb"
	(cd "$out/deb" && apt-get download -q "$pkg" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
	deb=$(ls "$out"/deb/"$pkg"_*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		echo "linux-side: apt-get download $pkg left no .deb in $out/deb" >&2
		exit 1
	fi
	dpkg-deb -x "$deb" "$out/linux"
	img=$(ls "$out"/linux/boot/vmlinuz-* | head -n 1)
	cp "$img" "$out/vmlinuz.tmp"
	echo "$pkg $(dpkg-deb -f "$deb" Version)" >"$out/linux-version"
	mv "$out/vmlinuz.tmp" "$out/vmlinuz"
	# The image, and the modules the virtio-mem benchmark loads (virtio is =m in
	# Debian's config); neither the .deb nor the other modules are kept.
	rm -rf "$out/modules"
	mkdir -p "$out/modules"
	for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_mem; do
		ko=$(find "$out"/linux/lib/modules -name "$m.ko" | head -n 1)
		if [ -z "$ko" ]; then
			echo "linux-side: $pkg has no $m.ko" >&2
			exit 1
		fi
		cp "$ko" "$out/modules/"
	done
	rm -rf "$out/linux" "$out/deb"
	;;
initramfs)
	bb=/bin/busybox
	if [ ! -x "$bb" ] || ldd "$bb" >/dev/null 2>&1; then
		echo "linux-side: $bb is missing or dynamically linked; the initramfs needs busybox-static (tools/deps.sh bench)" >&2
		exit 1
	fi
	root="$out/initramfs"
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
	cp "$bb" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$here/init.sh" "$root/init"
	if [ -d "$out/modules" ]; then
		mkdir -p "$root/lib/modules"
		cp "$out"/modules/*.ko "$root/lib/modules/"
	fi
	gcc -static -O2 -Wall -Wextra -Werror -o "$root/bin/migfill" "$here/migfill.c"
	chmod 755 "$root/init"
	# No /dev/console here: the kernel's built-in initramfs (Debian builds
	# it from the default list) already holds that node, and ours is
	# unpacked over it. Making the node would need root.
	(cd "$root" && { find . -mindepth 1 | sed 's|^\./||'; } | cpio --quiet -o -H newc -R 0:0 >"../initramfs.cpio.body")
	mv "$out/initramfs.cpio.body" "$out/initramfs.cpio"
	gzip -n -9 -f "$out/initramfs.cpio"
	;;
*)
	echo "usage: $0 kernel|initramfs OUTDIR" >&2
	exit 2
	;;
esac
