#!/bin/bash
# SPDX-License-Identifier: MIT
# tests/linux/uvattest.c, the /dev/uv attestation and secret program for a
# protected Linux guest, still cross-builds as a static s390x executable
# (Debian's libc6-dev-s390x-cross).  Booting it in a Linux guest is the
# Linux tests' job.
. "$(dirname "$0")/image_common.bash"

CC=s390x-linux-gnu-gcc
if ! command -v "$CC" >/dev/null ||
   [ ! -f /usr/s390x-linux-gnu/lib/libc.a ]; then
	ok "# SKIP no static s390x libc (libc6-dev-s390x-cross)"
	done_testing
	exit
fi
check "uvattest builds static with -Werror" \
	"$CC" -static -O2 -Wall -Wextra -Werror -o uvattest \
	"$ROOT/tests/linux/uvattest.c"
check "it is a 64-bit big-endian s390x executable" \
	sh -c "readelf -h uvattest | grep -q 'IBM S/390' &&
		readelf -h uvattest | grep -q 'big endian'"
check "statically linked: no program interpreter" \
	sh -c "! readelf -l uvattest | grep -q INTERP"
check "it asks /dev/uv, the uvdevice" grep -q /dev/uv uvattest
done_testing
