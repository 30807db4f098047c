#!/bin/sh
# Build newlib 3.3.0 (Debian's newlib-source tarball) as the kernel's C
# library, with the host gcc posing as an x86_64-elf cross compiler.
# Usage: tools/build-newlib.sh BUILD_DIR   -> BUILD_DIR/install/x86_64-elf/{include,lib}
set -eu
out=$(realpath -m "$1")
tar=/usr/src/newlib/newlib-3.3.0.tar.xz
mkdir -p "$out"

# Two makes may ask for newlib at once (make test and make run in two
# terminals): the second waits for the first and then finds it built.
exec 9>"$out/.lock"
flock 9
if [ -f "$out/install/x86_64-elf/lib/libc.a" ] && [ "$out/install/x86_64-elf/lib/libc.a" -nt "$0" ]; then
	touch "$out/install/x86_64-elf/lib/libc.a"
	exit 0
fi
[ -f "$tar" ] || { echo "build-newlib: $tar missing (apt-get install newlib-source)" >&2; exit 1; }

rm -rf "$out/src" "$out/obj" "$out/cross" "$out/install"
mkdir -p "$out/src" "$out/obj" "$out/cross/bin"

# The "cross" tools are the host's own: x86_64 code is x86_64 code. What
# makes it freestanding is CFLAGS_FOR_TARGET below.
for t in gcc cc ar as ld nm objcopy objdump ranlib readelf strip; do
	real=$(command -v "$t" || command -v gcc)
	printf '#!/bin/sh\nexec %s "$@"\n' "$real" > "$out/cross/bin/x86_64-elf-$t"
	chmod +x "$out/cross/bin/x86_64-elf-$t"
done
PATH="$out/cross/bin:$PATH"
export PATH

tar -C "$out/src" -xf "$tar"
src=$(find "$out/src" -mindepth 2 -maxdepth 2 -name configure -printf "%h\n" | head -1)
[ -n "$src" ] || { echo "build-newlib: no configure in $tar" >&2; exit 1; }
cd "$out/obj"
start=$(date +%s)
"$src/configure" \
	--target=x86_64-elf --prefix="$out/install" \
	--disable-multilib --disable-newlib-supplied-syscalls \
	--enable-newlib-io-c99-formats --enable-newlib-io-long-long \
	--disable-nls \
	CFLAGS_FOR_TARGET="-O2 -ffreestanding -mno-red-zone -mcmodel=kernel -fno-pie -fno-pic -fno-omit-frame-pointer -fno-stack-protector -g" \
	> "$out/configure.log" 2>&1 || { tail -30 "$out/configure.log"; exit 1; }
make -j"$(nproc)" all-target-newlib > "$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }
make install-target-newlib > "$out/install.log" 2>&1 || { tail -20 "$out/install.log"; exit 1; }
echo "build-newlib: built in $(( $(date +%s) - start )) s -> $out/install/x86_64-elf"
