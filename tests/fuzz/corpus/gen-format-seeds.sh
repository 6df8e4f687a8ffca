#!/bin/bash
# SPDX-License-Identifier: MIT
# Write the seed corpora of fuzz_sehdr, fuzz_ipib and fuzz_meta:
#   sehdr/ the sealed header of se-image-format.md §9.2 (opens with 32 x 0x32)
#          and the real header of §9.3
#   ipib/  type-5 blocks in Layout-R and Layout-C form, a CCW block
#   meta/  the Layout-R metadata block of §2.3, stage3b parameters
# Usage: tests/fuzz/corpus/gen-format-seeds.sh   (rewrites the seed files)
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)

hex() {		# hex digits (white space ignored) -> bytes on stdout
	local h
	h=$(printf '%s' "$1" | tr -d ' \t\n')
	printf '%b' "$(printf '%s' "$h" | sed 's/../\\x&/g')"
}
fill() {	# fill BYTE COUNT
	local i
	for ((i = 0; i < $2; i++)); do printf '%b' "\\x$1"; done
}
zeros() {
	head -c "$1" /dev/zero
}
be32() { printf '%08x' "$1"; }
be64() { printf '%016x' "$1"; }

mkdir -p "$dir/sehdr" "$dir/ipib" "$dir/meta"

{
	hex "49424d5365634578000001000000028033333333333333333333333300000000
	     0000000000000001000000000000008000000000000000010000000000000000
	     000000000000000000000000000000c75d34f91652db457b0b209c46a491a44e
	     e2b16e23c2d8daf116678a62f24ce332c5995f08456b66b16dd55a92c507f1e3
	     1af78c64a82e7a541b15135015f2028600000000000000000000000000000140
	     8058a7f1a5c35097533a02a93879e7de67ba280bce8365ec94b2b908f589c3a9
	     98d8be1e6307d74ae01adc46825ff6bb6fa05c1147cfe2ccf4a24f3d833dda70"
	fill 02 64
	fill 01 64
	fill 03 64
	hex "415c25a5d19c381e619733e1c1b7fbd88bdd1c31d882d5ade04b97043c5010f0
	     e55266e4718905401d308a1294b3883bddcd624c29793bdca00c38d4ab4d55fd
	     26c4eb7031b75eabdd7860419566373bb4198fe3de90034df004d9cdc7af7b01
	     bf4c4e63738305a0708e757d1eef0733ef42ad3df3c71447736b718b44c8dbe9
	     54dc6cf285475b9aa0ab0420435a6bd8958dd2147d042749a34b01944ef5874c
	     442aa4aeb9d81d3c4c1ce8bfd1da86b86e9ae39042d5915d9d963d5045ee06be
	     bfcaacdd9fbe3efd43a28ef56d171a667165174055f9fffa1e1c8887bb6d76de"
} >"$dir/sehdr/kat-9-2.bin"

hex "49424d536563457800000100000002804dc42a795fd9d2e4a40fcb3300000000
     00000000000000010000000000000080000000000000fc250000000000000000
     0000000000000000000000000000013fa57395f4d35560d55565d84347035d62
     fc161c3a6d5db61a358302d25e71b66ce90705d45d828c237d81b251a145879e
     0dd5e9a0448290ced028c87feca852fd000000000000000000000000000001a5
     03d17cebf3ae922409a66bbbd15de2039023f4adc1db218a2f58bdfa9b263dad
     e6cf786b782941662189caba4659c9599541ba89338e6c8d353a9be4304662cb
     be94b5eab3c1b118c757d7db7ea0f65d9b64823a8dc55bf8a8725b58072d9d42
     58c53e8a5da82dfb2192d91d07bc1c39b95d6321d3ba16a751a6e3e32f3e0161
     2858c3368b2a0af0c5ea0fde7905eb15af9cd1dd737165933cdaa2b850b6a8e2
     f0f42c7b36dd5381096288dc092daa8a6facec2534137bc94ca80bda4fcb9328
     4860ebcf7b9d24eb909a795356ad32c936b62165988a9ffcd66170dbc590c230
     10d7952fa882d1bb79558f9be0a549d8d7a94ae720e5c0760a825d479fe67af5
     782966a6298f6f5968780c3134ca4c55958d2dbca5292f59e9f5d2670befaf2f
     5ba3401e8dde0d01dc1f971edfe8c81c3ced6d39e887225b4e9c34b5d5bebeff
     19af21eb7c50e34b0a93cf0b2f1a6f8a8e883a7a8efa9094e232d375ce377c61
     2a977b31c13810d530764dcd577bc1e50570a817ab75e46a7fdcdfcb7f89a1a6
     f0a0bcba2d32c5a8d2f4078160069014fabe2a3acd87c0d1eae8151931b842cf
     d042f4d2cb40ffbd0a66cef51532f8f769d63dea75cd62efea635d7cb43f5482
     689635a16ff3c216591c1e0273b5136e92309d4589b9a85b427f8753171d1520" \
	>"$dir/sehdr/real-9-3.bin"

# pv_ipib LEN PV_VERSION HDR_ADDR: four components as in §2.4 (Layout-R)
pv_ipib() {
	local n=4
	hex "$(be32 "$1")00000001$(be32 $((128 + 24 * n)))05000000"
	zeros $((0x6f - 0x10))
	hex "$(printf '%02x' "$2")00000000$(be32 $n)$(be64 "$3")$(be64 0x280)"
	hex "$(be64 0x0028a1b2c3d4e5f6)$(be64 0x15000)$(be64 0x500000)"
	hex "$(be64 0x0032a1b2c3d4e5f7)$(be64 0x515000)$(be64 0xa00000)"
	hex "$(be64 0x003ca1b2c3d4e5f8)$(be64 0xf15000)$(be64 0x1000)"
	hex "$(be64 0x0046a1b2c3d4e5f9)$(be64 0xf16000)$(be64 0x2000)"
	if [ "$1" -gt $((136 + 24 * n)) ]; then
		zeros $(($1 - 136 - 24 * n))
	fi
}
pv_ipib 232 1 0x14000 >"$dir/ipib/layout-r.bin"
pv_ipib 4096 0 0 >"$dir/ipib/layout-c.bin"
{
	hex "000000c800000000000000c002000000"
	zeros $((200 - 16))
} >"$dir/ipib/ccw.bin"

hex "5365496d674c6e78 0000000000014000 00000001 0000000000f18000" \
	>"$dir/meta/meta-v1.bin"
hex "$(be64 0x15000)$(be64 0x500000)$(be64 0xf15000)$(be64 31)
     $(be64 0x515000)$(be64 0xa00000)$(be64 0x180000000)$(be64 0x10000)" \
	>"$dir/meta/stage3b-parms.bin"
