#!/bin/bash
# SPDX-License-Identifier: MIT
# `make install` into a temporary DESTDIR and `make uninstall`: pvboot and
# its genprotimg link, libpvboot.so with its soname, libpvboot.a, headers,
# libpvboot.pc, man pages, completion, schemas.  examples/boot_image.c is
# built through pkg-config against the installed library, and boots.
. "$(dirname "$0")/image_common.bash"

# the build is done: make must only install (no jobserver of a parent make)
unset MAKEFLAGS MFLAGS MAKELEVEL
D=$W/dest
P=$D/usr
mk() {
	make --no-print-directory -C "$ROOT" BUILD="$BUILD" "$@"
}

check "make install DESTDIR=... PREFIX=/usr" mk install DESTDIR="$D" PREFIX=/usr
check "pvboot installed, executable" test -x "$P/bin/pvboot"
check "genprotimg is a link to pvboot" \
	test "$(readlink "$P/bin/genprotimg")" = pvboot
check "the installed pvboot runs" sh -c "'$P/bin/pvboot' --version | grep -q '^pvboot '"
expect_rc "installed genprotimg behaves like pvboot create" 2 \
	"^genprotimg: the kernel is required" "$P/bin/genprotimg" -o x.img
check "libpvboot.a installed" test -f "$P/lib/libpvboot.a"
check "libpvboot.so -> libpvboot.so.0 -> libpvboot.so.X.Y.Z" sh -c "
	test \"\$(readlink '$P/lib/libpvboot.so')\" = libpvboot.so.0 &&
	readlink '$P/lib/libpvboot.so.0' | grep -qE '^libpvboot\.so\.[0-9]+\.[0-9]+\.[0-9]+\$' &&
	test -f '$P/lib/'\"\$(readlink '$P/lib/libpvboot.so.0')\""
check "the library's soname is libpvboot.so.0" sh -c \
	"readelf -d '$P/lib/libpvboot.so' | grep -q 'SONAME.*\[libpvboot\.so\.0\]'"
check "every public header installed" sh -c "
	for h in '$ROOT'/include/pvboot/*.h; do
		cmp \"\$h\" '$P/include/pvboot/'\"\$(basename \$h)\" || exit 1
	done"
check "man pages installed, genprotimg.1 links to pvboot-create.1" sh -c "
	for m in '$ROOT'/man/*.1; do test -f '$P/share/man/man1/'\"\$(basename \$m)\" || exit 1; done &&
	test \"\$(readlink '$P/share/man/man1/genprotimg.1')\" = pvboot-create.1"
check "man finds the installed pages (pvboot, genprotimg)" sh -c "
	MANPATH='$P/share/man' man -P cat pvboot 2>/dev/null | grep -q 'pvboot-run' &&
	MANPATH='$P/share/man' man -P cat genprotimg 2>/dev/null | grep -q 'reproducible'"
check "bash completion installed for pvboot and genprotimg" sh -c "
	cmp '$ROOT/completion/pvboot.bash' '$P/share/bash-completion/completions/pvboot' &&
	test \"\$(readlink '$P/share/bash-completion/completions/genprotimg')\" = pvboot"
check "JSON schemas installed, as --print-schema prints them" sh -c "
	for c in info measure verify run; do
		'$P/bin/pvboot' \$c --print-schema | cmp - '$P/share/pvboot/'\$c.schema.json || exit 1
	done"
check "the test kernel installed" \
	cmp "$P/share/pvboot/testkernel.bin" "$ROOT/$BUILD/boot/testkernel.bin"

# pkg-config: the installed .pc, with the DESTDIR as sysroot
export PKG_CONFIG_PATH=$P/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$D
check "pkg-config finds libpvboot $("$PVBOOT" --version | cut -d' ' -f2)" \
	test "$(pkg-config --modversion libpvboot)" = \
	"$("$PVBOOT" --version | cut -d' ' -f2)"
check "pkg-config --cflags points into the install" \
	test "$(pkg-config --cflags libpvboot | sed 's/ *$//')" = "-I$P/include"
check "pkg-config --libs points into the install" \
	test "$(pkg-config --libs libpvboot | sed 's/ *$//')" = "-L$P/lib -lpvboot"
check "libpvboot.pc is relative to its prefix (pkg-config --define-prefix)" \
	grep -qx 'libdir=${prefix}/lib' "$P/lib/pkgconfig/libpvboot.pc"
check "every installed header compiles on its own (C99)" sh -c "
	for h in '$P'/include/pvboot/*.h; do
		echo \"#include <pvboot/\$(basename \$h)>\" |
			cc -std=c99 -Wall -Wextra -Werror -fsyntax-only -x c - \$(pkg-config --cflags libpvboot) || exit 1
	done"

# the example, against the installed shared library
mkdir ex
check "examples/boot_image.c is under 60 lines" \
	test "$(wc -l <"$ROOT/examples/boot_image.c")" -lt 60
check "examples/Makefile builds boot_image through pkg-config, no warning" \
	sh -c "make --no-print-directory -C '$ROOT/examples' OUT='$W/ex' \
		CFLAGS='-O2 -Werror' >ex/build.log 2>&1 || { cat ex/build.log; exit 1; }"
check "boot_image links the shared libpvboot.so.0" \
	sh -c "readelf -d ex/boot_image | grep -q 'NEEDED.*\[libpvboot\.so\.0\]'"
check "the loader takes libpvboot.so.0 from the install" sh -c "
	LD_LIBRARY_PATH='$P/lib' ldd ex/boot_image | grep -q '$P/lib/libpvboot.so.0'"
LD_LIBRARY_PATH=$P/lib ex/boot_image "$P/share/pvboot/testkernel.bin" \
	ex/se.img >ex/run.out 2>&1
RC=$?
check "boot_image builds an image and boots it protected" sh -c "
	test $RC -eq 0 && grep -q '^protected: yes' ex/run.out &&
	grep -q 'pvboot test kernel: all checks passed' ex/run.out"
check "the installed pvboot reads its image (one key slot)" sh -c \
	"'$P/bin/pvboot' info ex/se.img --format json 2>/dev/null | grep -q '\"nks\": 1'"
expect_rc "boot_image without arguments: usage, exit 2" 2 "usage: boot_image" \
	env LD_LIBRARY_PATH="$P/lib" ex/boot_image
check "boot_image links statically too (pkg-config --static)" sh -c "
	cc -std=gnu11 -o ex/boot_image_static '$ROOT/examples/boot_image.c' \
		\$(pkg-config --cflags libpvboot) '$P/lib/libpvboot.a' \
		\$(pkg-config --static --libs-only-l --libs-only-other libpvboot | sed 's/-lpvboot//') &&
	! readelf -d ex/boot_image_static | grep -q libpvboot &&
	ex/boot_image_static '$P/share/pvboot/testkernel.bin' ex/static.img >/dev/null 2>&1"

# uninstall leaves nothing behind
check "make uninstall" mk uninstall DESTDIR="$D" PREFIX=/usr
check "no file is left in DESTDIR" test -z "$(find "$D" ! -type d)"

# other directories, and a .pc that follows them
check "make install PREFIX=/opt/pvboot LIBDIR=/opt/pvboot/lib64 MANDIR=/usr/share/man" \
	mk install DESTDIR="$D" PREFIX=/opt/pvboot LIBDIR=/opt/pvboot/lib64 \
	MANDIR=/usr/share/man BINDIR=/usr/bin
check "files went to BINDIR, LIBDIR, MANDIR" sh -c "
	test -x '$D/usr/bin/pvboot' && test -f '$D/opt/pvboot/lib64/libpvboot.so.0' &&
	test -f '$D/usr/share/man/man1/pvboot.1' &&
	test -f '$D/opt/pvboot/share/pvboot/run.schema.json'"
check "libpvboot.pc follows PREFIX and LIBDIR" sh -c "
	grep -qx 'prefix=/opt/pvboot' '$D/opt/pvboot/lib64/pkgconfig/libpvboot.pc' &&
	grep -qx 'libdir=\${prefix}/lib64' '$D/opt/pvboot/lib64/pkgconfig/libpvboot.pc'"
check "make uninstall with the same directories empties DESTDIR" sh -c "
	make --no-print-directory -C '$ROOT' BUILD='$BUILD' uninstall DESTDIR='$D' \
		PREFIX=/opt/pvboot LIBDIR=/opt/pvboot/lib64 MANDIR=/usr/share/man \
		BINDIR=/usr/bin >/dev/null && test -z \"\$(find '$D' ! -type d)\""

done_testing
