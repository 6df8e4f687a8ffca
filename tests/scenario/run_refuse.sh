#!/bin/bash
# SPDX-License-Identifier: MIT
# Images the Ultravisor refuses: a host key that is not in the header
# (stage3a prints rc 0x0108 rrc 0x0005), a tampered SE header, a tampered
# component (VERIFY: PLD mismatch rrc 0x001b) and no host key at all.
# Every refusal ends in stage3a's wait 0x4608 and exit status 1.
. "$(dirname "$0")/run_common.bash"

check "create an SE image" se_image good.img "quiet"
"$PVBOOT" info --format json good.img >info.json 2>/dev/null
hdr=$(hex_field info.json hdr_addr_hex)
comp=$(hex_field info.json addr_hex)
check "info names header and first component" test -n "$hdr" -a -n "$comp"

run_pvboot out err good.img --host-key pki/host2.key
expect_exit "wrong host key" 1
check "stage3a reports rc 0x0108" has out "rc 0x0108"
check "stage3a reports rrc 0x0005" has out "rrc 0x0005"
check "set-secure-parameters named" grep -qiE 'UV command 2|command 2' out
check "wait 0x4608 in the summary" has out "wait code:   0x4608"
check "not protected at the end" has out "protected:   no"

cp good.img hdr.img
flip hdr.img $((0x$hdr + 0x1a0 + 40))	# inside the key slot's wrapped key
run_pvboot out err hdr.img --host-key pki/host.key
expect_exit "tampered SE header" 1
check "header refused with rc 0x0108" has out "rc 0x0108"
check "protected boot failed" has out "Protected boot has failed"

cp good.img comp.img
flip comp.img $((0x$comp + 100))
run_pvboot out err comp.img --host-key pki/host.key
expect_exit "tampered component" 1
check "verify rc 0x0102" has out "rc 0x0102"
check "verify rrc 0x001b (PLD)" has out "rrc 0x001b"
check "summary: verify failed" has out "verify:      rc 0x0102 rrc 0x001b (failed)"

run_pvboot out err good.img
expect_exit "no host key" 1
check "warning about the missing key" has err "no --host-key"

finish
