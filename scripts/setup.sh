#!/bin/bash
# SPDX-License-Identifier: MIT
# Install the Debian packages pvboot needs, only when something is missing.
# Idempotent: a second run installs nothing and does not touch apt's lists.
set -euo pipefail

PKGS=(
	build-essential make pkg-config
	libssl-dev openssl
	libunicorn-dev
	libcmocka-dev
	libseccomp-dev
	gcc-s390x-linux-gnu binutils-s390x-linux-gnu libc6-dev-s390x-cross
	clang libclang-rt-14-dev
	python3 python3-jsonschema
	python3-cryptography
	cpio xz-utils debian-archive-keyring
	qemu-system-misc qemu-system-data e2fsprogs
)

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

echo "setup: installing ${missing[*]}" >&2
SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
