#!/bin/bash
# SPDX-License-Identifier: MIT
# The contained emulator (issue 14 §1): `pvboot run` runs the guest in a
# child process that never held a key and is confined by seccomp, while
# the UV and the host key stay in the parent.  Checked on a live run of a
# test-kernel image that waits for console input: the child is in seccomp
# filter mode with no_new_privs; the host key's private scalar is in the
# parent's memory (the control) and nowhere in the child's; a SIGSEGV to
# the child ends the run with "the CPU emulator failed at PSW ...", exit
# status 1 and no --save-response file.  --no-sandbox runs in one process.
# A protected guest's virtio-blk requests work contained, and requests
# naming pages it never shared fail (tests/guest/io_virtio.c).
. "$(dirname "$0")/run_common.bash"

check "an image of the test kernel that waits for console input" \
	se_image wait.img "pvboot.secrets"

# The private scalar as OpenSSL keeps it in memory: a BIGNUM, least
# significant 64-bit word first, each word little-endian, i.e. the
# scalar's bytes reversed.  The low 32 bytes are enough to find it.
scalar=$(openssl ec -in pki/host.key -text -noout 2>/dev/null |
	sed -n '/^priv:/,/^pub:/p' | sed '1d;$d' | tr -d ' :\n')
check "the host key's private scalar (66 bytes)" test ${#scalar} -eq 132

# memscan PID: "found" when the reversed low 32 bytes of the scalar are in
# the readable memory of PID, else "absent"
memscan() {
	python3 - "$1" "$scalar" <<'EOF'
import re, sys
pid, hexs = sys.argv[1], sys.argv[2]
needle = bytes.fromhex(hexs)[-32:][::-1]
found = False
with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
    for line in maps:
        m = re.match(r"([0-9a-f]+)-([0-9a-f]+) (\S+)", line)
        if not m or m.group(3)[0] != "r" or "[vvar]" in line:
            continue
        lo, hi = int(m.group(1), 16), int(m.group(2), 16)
        # guest memory and the translator's code buffer: no key there,
        # and reading them costs seconds
        if "memfd:pvboot" in line or hi - lo > (512 << 20):
            continue
        try:
            mem.seek(lo)
            data = mem.read(hi - lo)
        except (OSError, ValueError, OverflowError):
            continue
        if needle in data:
            found = True
            break
print("found" if found else "absent")
EOF
}

# start: the run in the background, its stdin a FIFO nobody writes
mkfifo in
exec {HOLD}<>in
"$PVBOOT" run wait.img --host-key pki/host.key --timeout 60 \
	--save-response resp <in >out 2>&1 &
PARENT=$!
CHILD=
for _ in $(seq 1 100); do
	grep -q "secrets: reading requests" out 2>/dev/null &&
		CHILD=$(pgrep -P "$PARENT" | head -n 1) && [ -n "$CHILD" ] &&
		break
	sleep 0.1
done
check "the guest runs in a child process of pvboot run" test -n "$CHILD"
if [ -n "$CHILD" ]; then
	check "the child is in seccomp filter mode" \
		grep -Eq '^Seccomp:[[:space:]]+2$' "/proc/$CHILD/status"
	check "with no_new_privs" \
		grep -Eq '^NoNewPrivs:[[:space:]]+1$' "/proc/$CHILD/status"
	check "the parent holds the host key (control)" \
		test "$(memscan "$PARENT")" = found
	check "the child has never seen it" test "$(memscan "$CHILD")" = absent
	kill -SEGV "$CHILD"
fi
wait "$PARENT"
RC=$?
exec {HOLD}>&-
check "a crashed emulator ends the run with exit status 1" test "$RC" -eq 1
check "and says where the guest was" \
	grep -q "pvboot: error: the CPU emulator failed at PSW [0-9a-f]\{16\} [0-9a-f]\{16\} on CPU 0: Segmentation fault (signal 11)" out
check "no --save-response file is left" test ! -e resp
check "no temporary file is left" \
	sh -c '! ls -A | grep -q "^\.\?resp\."'

# --no-sandbox: one process, the same boot
se_image ok.img "x"
run_pvboot out2 err2 ok.img --host-key pki/host.key --no-sandbox
expect_exit "--no-sandbox boots in one process" 0
run_pvboot out3 err3 ok.img --host-key pki/host.key
expect_exit "the contained run boots the same image" 0
check "with the same console" cmp -s <(grep -v '^  time:' out2) \
	<(grep -v '^  time:' out3)

# virtio-blk of a protected guest, contained: the device asks the UV in
# the parent whether a request's pages may be touched, one question per
# range (tests/guest/io_virtio.c: reads, writes, flushes, and requests
# naming unshared pages, which must fail with nothing moved)
python3 -c "
import sys
sec = lambda s: bytes((s * 7 + i * 3 + 1) & 0xff for i in range(512))
sys.stdout.buffer.write(b''.join(sec(s) for s in range(64)))" >iov.disk
check "an SE image of the virtio guest program" \
	"$PVBOOT" create -i "$BUILD/guest/io_virtio.bin" -k pki/host.crt \
	--no-verify --no-component-check -o iov.img -q
check "a disk of 64 pattern sectors" test "$(stat -c %s iov.disk)" -eq 32768
run_pvboot out4 err4 iov.img --host-key pki/host.key --disk iov.disk
# a guest program's success wait (0x600d0) is not the test kernel's, so
# the exit status is 1 and the summary names the wait code
check "the contained virtio guest ends in its success wait" \
	grep -q 'wait code: *0x600d0' out4
check "it ran protected" grep -q 'IO-VIRTIO: start (protected)' out4
check "all its checks passed, the unshared pages refused among them" \
	grep -q 'IO-VIRTIO: [0-9]* checks, 0 failed' out4
finish
