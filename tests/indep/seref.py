#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Second implementation of the SE image format, for the tests only.

Written from docs/spec text alone (se-image-format.md §2-§6, §9; the
reproducible-mode derivation of README.md), with Python's `cryptography`
package (Debian's python3-cryptography) and none of pvboot's code, so
that pvboot's create, measure and verify are checked against something
other than themselves (tests/scenario/indep_check.sh).

    seref.py selftest
        the known answers of se-image-format.md §9 (key slot, KEK, the
        640-byte header of §9.2, PLD/ALD/TLD of §9.4, the small KATs)
    seref.py build  -o OUT [inputs and keys, see --help]
        a whole image, byte for byte what `pvboot create --reproducible`
        must write; prints PLD/ALD/TLD/nep/tag as JSON.  --bad F builds a
        correctly sealed image with one field F wrong (for verify)
    seref.py open IMAGE (--host-key KEY | --hdr-key FILE) [-i -r -p]
        find the header and IPIB, open the header (key slot with the host
        key: ECDH, KEK, GCM), recompute nep/ALD/TLD/PLD from the stored
        pages, decrypt every component, compare with the inputs; exit 0
        when everything agrees, 1 with the first disagreement
"""
import argparse
import hashlib
import json
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PAGE = 0x1000
P521_N = int(
    "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
    16)
MAGIC = b"IBMSecEx"
PSW_MASK = 0x0000000180000000          # EA | BA (§5.1, Appendix A)
SHORT_PSW = 0x0008000180011000         # §2.1
PCF_DEFAULT = 0xE0                     # §5.3
PCF_NO_DECRYPT = 0x10000000            # PCF bit 35
HEAD = 0x1A0                           # §5.1: head size up to the slots
SEA = 128
META_OFF = 0xC000
ENTRY = 0x10000
IDS = {"r": {"kernel": 40, "initrd": 50, "cmdline": 60, "stage3b": 70},
       "c": {"kernel": 0, "cmdline": 1, "initrd": 2, "stage3b": 3}}
ORDER = {"r": ["kernel", "initrd", "cmdline", "stage3b"],
         "c": ["kernel", "cmdline", "initrd", "stage3b"]}


def up(x):
    return (x + PAGE - 1) & ~(PAGE - 1)


def be64(v):
    return struct.pack(">Q", v)


# ---- crypto (§6) -------------------------------------------------------------

def coords(pub):
    """§6.2: X80 || Y80, big-endian, left-padded."""
    n = pub.public_numbers()
    return n.x.to_bytes(80, "big") + n.y.to_bytes(80, "big")


def pub_from_coords(c):
    x, y = int.from_bytes(c[:80], "big"), int.from_bytes(c[80:160], "big")
    return ec.EllipticCurvePublicNumbers(x, y, ec.SECP521R1()).public_key()


def phkh(pub):
    """§6.3"""
    return hashlib.sha256(coords(pub)).digest()


def kek(priv, pub):
    """§6.4: SHA-256(Z || 00000001), Z the 66-byte shared X."""
    z = priv.exchange(ec.ECDH(), pub)
    assert len(z) == 66
    return hashlib.sha256(z + b"\0\0\0\1").digest()


def wrap_slot(cust, host_pub, hpk):
    """§6.5: phkh || GCM(KEK, 0^96, no AAD, HPK) (32 + 16 bytes)."""
    return phkh(host_pub) + AESGCM(kek(cust, host_pub)).encrypt(
        bytes(12), hpk, None)


def unwrap_slot(host, cust_pub, slot):
    return AESGCM(kek(host, cust_pub)).decrypt(bytes(12), slot[32:80], None)


def xts_page(xk, tweak, page, encrypt=True):
    """§6.7: one 4096-byte data unit, K1 = XK[:32], K2 = XK[32:]."""
    c = Cipher(algorithms.AES(xk), modes.XTS(tweak))
    op = c.encryptor() if encrypt else c.decryptor()
    return op.update(page) + op.finalize()


def hkdf(seed, label, n):
    """README "Reproducible images": HKDF-SHA512, fixed salt, info=label."""
    return HKDF(algorithm=hashes.SHA512(), length=n,
                salt=b"pvboot reproducible v1",
                info=label.encode()).derive(seed)


def seeded_key(seed, label):
    """d = (80 HKDF bytes mod (n - 1)) + 1."""
    d = int.from_bytes(hkdf(seed, label, 80), "big") % (P521_N - 1) + 1
    return ec.derive_private_key(d, ec.SECP521R1())


def load_host_pub(path):
    data = open(path, "rb").read()
    try:
        cert = x509.load_pem_x509_certificate(data)
    except ValueError:
        cert = x509.load_der_x509_certificate(data)
    return cert.public_key()


def load_host_priv(path):
    data = open(path, "rb").read()
    try:
        return serialization.load_pem_private_key(data, None)
    except ValueError:
        return serialization.load_der_private_key(data, None)


# ---- digests (§6.8) ----------------------------------------------------------

class Digests:
    def __init__(self):
        self.pld = hashlib.sha512()
        self.ald = hashlib.sha512()
        self.tld = hashlib.sha512()
        self.nep = 0

    def page(self, stored, addr, tweak):
        self.pld.update(stored)
        self.ald.update(be64(addr))
        self.tld.update(tweak)
        self.nep += 1

    def values(self):
        return self.pld.digest(), self.ald.digest(), self.tld.digest()


def pages_of(data):
    """§6.7: 4096-byte chunks, last one zero-padded, empty = one page."""
    n = max(1, (len(data) + PAGE - 1) // PAGE)
    data = data + bytes(n * PAGE - len(data))
    return [data[i * PAGE:(i + 1) * PAGE] for i in range(n)]


def secure_component(data, addr, prefix, xk, encrypt, dig):
    """Prepared bytes of one component; feeds @dig page by page."""
    out = bytearray()
    for i, page in enumerate(pages_of(data)):
        tweak = prefix + be64(i * PAGE)
        stored = xts_page(xk, tweak, page) if encrypt else page
        dig.page(stored, addr + i * PAGE, tweak)
        out += stored
    return bytes(out)


# ---- the SE header (§5, §6.6) --------------------------------------------------

def seal_header(f):
    """640+ bytes from the field dict @f (keys as in §5.1)."""
    nks = len(f["slots"])
    phs = HEAD + 80 * nks + SEA + 16
    aad = (MAGIC + struct.pack(">II", 0x100, phs) + f["iv"] + bytes(4) +
           struct.pack(">QQQQ", nks, SEA, f["nep"], f["pcf"]) +
           f["cust_coords"] + f["pld"] + f["ald"] + f["tld"] +
           b"".join(f["slots"]))
    assert len(aad) == HEAD + 80 * nks
    plain = (f["cck"] + f["xk"] + struct.pack(">QQQII", f["psw_mask"],
                                               f["psw_addr"], f["scf"], 0,
                                               0))
    assert len(plain) == SEA
    return aad + AESGCM(f["hpk"]).encrypt(f["iv"], plain, aad)


def parse_header(h):
    nks, sea, nep, pcf = struct.unpack(">QQQQ", h[0x20:0x40])
    e = HEAD + 80 * nks
    return {"magic": h[:8], "version": struct.unpack(">I", h[8:12])[0],
            "phs": struct.unpack(">I", h[12:16])[0], "iv": h[16:28],
            "nks": nks, "sea": sea, "nep": nep, "pcf": pcf,
            "cust_coords": h[0x40:0xE0], "pld": h[0xE0:0x120],
            "ald": h[0x120:0x160], "tld": h[0x160:0x1A0],
            "slots": [h[HEAD + 80 * k:HEAD + 80 * (k + 1)]
                      for k in range(nks)],
            "aad": h[:e], "ct": h[e:e + sea], "tag": h[e + sea:e + sea + 16]}


def open_header(h, hpk):
    f = parse_header(h)
    plain = AESGCM(hpk).decrypt(f["iv"], f["ct"] + f["tag"], f["aad"])
    f.update(cck=plain[:32], xk=plain[32:96],
             psw_mask=struct.unpack(">Q", plain[96:104])[0],
             psw_addr=struct.unpack(">Q", plain[104:112])[0],
             scf=struct.unpack(">Q", plain[112:120])[0],
             noi=struct.unpack(">I", plain[120:124])[0])
    return f


# ---- a whole image (§2, §3, §4) ---------------------------------------------

def ipib_bytes(layout, comps, hdr_addr, phs):
    """§4: list header, type-5 block, component entries."""
    n = len(comps)
    size = 136 + 24 * n
    b = bytearray(size)
    struct.pack_into(">I", b, 0, size if layout == "r" else 4096)
    b[7] = 1
    struct.pack_into(">I", b, 8, 128 + 24 * n)
    b[0x0C] = 5
    b[0x6F] = 1 if layout == "r" else 0
    struct.pack_into(">IQQ", b, 0x74, n, hdr_addr if layout == "r" else 0,
                     phs)
    for i, (prefix, addr, length) in enumerate(comps):
        struct.pack_into(">8sQQ", b, 0x88 + 24 * i, prefix, addr, length)
    if layout == "c":
        b += bytes(4096 - size)
    return bytes(b)


def build(o):
    """Build the image described by the options @o; returns (bytes, info)."""
    seed = open(o.seed, "rb").read() if o.seed else None

    def secret(path, label, n):
        if path:
            v = open(path, "rb").read()
            assert len(v) == n, "%s must be %d bytes" % (path, n)
            return v
        return hkdf(seed, label, n)

    layout = o.layout
    xk = secret(o.image_key, "image-key", 64)
    cck = secret(o.cck, "cck", 32)
    hpk = secret(o.hdr_key, "header-key", 32)
    iv = hkdf(seed, "header-iv", 12)
    cust = seeded_key(seed, "customer-key")
    pcf = o.pcf if o.pcf is not None else PCF_DEFAULT
    encrypt = not pcf & PCF_NO_DECRYPT
    s3a = bytearray(open(o.stage3a, "rb").read())
    s3b = bytearray(open(o.stage3b, "rb").read())
    hosts = [load_host_pub(p) for p in o.host_key_document]
    nks = len(hosts)
    phs = HEAD + 80 * nks + SEA + 16

    inputs = {"kernel": open(o.kernel, "rb").read()}
    if o.ramdisk:
        inputs["initrd"] = open(o.ramdisk, "rb").read()
    if o.parmfile is not None:
        p = open(o.parmfile, "rb").read()
        # the pvimg rule (§10 item 7), which pvboot follows in both layouts
        inputs["cmdline"] = p if p.endswith(b"\0") else p + b"\0"

    # §2.2 / §2.3: where everything goes
    S = len(s3a)
    if layout == "c":
        ipib_addr = ENTRY + up(S)
        hdr_addr = ipib_addr + PAGE
    else:
        hdr_addr = max(up(ENTRY + S), 0x14000)
    addr = up(hdr_addr + phs)
    kinds = [k for k in ORDER[layout] if k in inputs or k == "stage3b"]
    place = {}
    for k in kinds:
        size = len(s3b) if k == "stage3b" else len(inputs[k])
        place[k] = addr
        addr += max(1, (size + PAGE - 1) // PAGE) * PAGE
    end = addr

    def prefix(kind):
        i = IDS[layout][kind]
        return struct.pack(">H", i) + hkdf(seed, "tweak/%d" % i, 6)

    # §3.3: stage3b's parameter block, the last 64 bytes of the loader
    s3b[-64:] = struct.pack(
        ">8Q", place["kernel"], len(inputs["kernel"]),
        place.get("cmdline", 0), len(inputs.get("cmdline", b"")),
        place.get("initrd", 0), len(inputs.get("initrd", b"")),
        PSW_MASK, ENTRY)
    inputs["stage3b"] = bytes(s3b)

    dig = Digests()
    body, comps = {}, []
    for k in kinds:
        pre = prefix(k)
        body[k] = secure_component(inputs[k], place[k], pre, xk, encrypt,
                                   dig)
        comps.append((pre, place[k], len(body[k])))
    pld, ald, tld = dig.values()
    nep = dig.nep
    if o.bad == "pld":
        pld = hashlib.sha512(b"not the pages").digest()
    elif o.bad == "ald":
        ald = hashlib.sha512(b"not the addresses").digest()
    elif o.bad == "tld":
        tld = hashlib.sha512(b"not the tweaks").digest()
    elif o.bad == "nep":
        nep += 1

    fields = {"iv": iv, "nep": nep, "pcf": pcf,
              "cust_coords": coords(cust.public_key()), "pld": pld,
              "ald": ald, "tld": tld,
              "slots": [wrap_slot(cust, h, hpk) for h in hosts],
              "cck": cck, "xk": xk,
              "psw_mask": 0x0000000080000000 if o.bad == "psw-mask"
              else PSW_MASK,
              "psw_addr": place["stage3b"], "scf": o.scf or 0, "hpk": hpk}
    hdr = seal_header(fields)
    assert len(hdr) == phs

    if layout == "r":
        ipib_addr = end
        size = ipib_addr + 136 + 24 * len(comps)
    else:
        size = end
    img = bytearray(size)
    img[0:8] = be64(SHORT_PSW)
    # §3.1: stage3a's parameter block, its last 24 bytes
    pa = ENTRY + S - 24
    s3a[-24:] = struct.pack(">3Q", hdr_addr - pa, phs, ipib_addr - pa)
    img[ENTRY:ENTRY + S] = s3a
    img[hdr_addr:hdr_addr + phs] = hdr
    if o.bad == "padding":
        img[hdr_addr + phs + 5] = 0x5A
    ipib = ipib_bytes(layout, comps, hdr_addr, phs)
    img[ipib_addr:ipib_addr + len(ipib)] = ipib
    for k in kinds:
        img[place[k]:place[k] + len(body[k])] = body[k]
    if layout == "r":
        img[META_OFF:META_OFF + 28] = (b"SeImgLnx" + be64(hdr_addr) +
                                       struct.pack(">I", 1) + be64(ipib_addr))
    info = {"pld_hex": pld.hex(), "ald_hex": ald.hex(), "tld_hex": tld.hex(),
            "nep": nep, "tag_hex": hdr[-16:].hex(),
            "hdr_addr": hdr_addr, "ipib_addr": ipib_addr,
            "components": {k: place[k] for k in kinds}, "size": size}
    return bytes(img), info


# ---- opening an image without pvboot -----------------------------------------

def locate(img):
    """§2.5: metadata at 0xC000, else the magic at a page boundary."""
    if img[META_OFF:META_OFF + 8] == b"SeImgLnx":
        hdr = struct.unpack(">Q", img[META_OFF + 8:META_OFF + 16])[0]
        ipib = struct.unpack(">Q", img[META_OFF + 20:META_OFF + 28])[0]
        return "r", hdr, ipib
    for a in range(0, min(len(img), 0x15000), PAGE):
        if img[a:a + 8] == MAGIC:
            return "c", a, a - PAGE
    raise ValueError("no SE header found")


class Mismatch(Exception):
    pass


def expect(what, got, want):
    if got == want:
        return
    if isinstance(got, bytes) and len(got) == len(want) and len(got) > 64:
        at = next(i for i in range(len(got)) if got[i] != want[i])
        raise Mismatch("%s: byte %d is %02x, expected %02x" % (
            what, at, got[at], want[at]))
    g = got.hex() if isinstance(got, bytes) else "0x%x" % got
    w = want.hex() if isinstance(want, bytes) else "0x%x" % want
    raise Mismatch("%s: image has %s, expected %s" % (what, g, w))


def open_image(o):
    img = open(o.image, "rb").read()
    layout, hdr_addr, ipib_addr = locate(img)
    phs = struct.unpack(">I", img[hdr_addr + 12:hdr_addr + 16])[0]
    h = img[hdr_addr:hdr_addr + phs]
    f = parse_header(h)
    expect("magic", f["magic"], MAGIC)
    expect("version", f["version"], 0x100)
    expect("header size", phs, HEAD + 80 * f["nks"] + f["sea"] + 16)
    if o.hdr_key:
        hpk = open(o.hdr_key, "rb").read()
    else:
        host = load_host_priv(o.host_key)
        mine = phkh(host.public_key())
        slots = [s for s in f["slots"] if s[:32] == mine]
        if not slots:
            raise Mismatch("no key slot for this host key")
        hpk = unwrap_slot(host, pub_from_coords(f["cust_coords"]), slots[0])
    f = open_header(h, hpk)
    expect("noi", f["noi"], 0)
    expect("PSW mask", f["psw_mask"], PSW_MASK)
    pad_end = min(up(hdr_addr + phs), len(img))
    expect("padding after the header", img[hdr_addr + phs:pad_end],
           bytes(pad_end - hdr_addr - phs))

    # §4: the IPIB's component list
    n = struct.unpack(">I", img[ipib_addr + 0x74:ipib_addr + 0x78])[0]
    comps = [struct.unpack(">8sQQ", img[ipib_addr + 0x88 + 24 * i:
                                        ipib_addr + 0xA0 + 24 * i])
             for i in range(n)]
    dig = Digests()
    plain = []
    encrypt = not f["pcf"] & PCF_NO_DECRYPT
    for pre, addr, length in comps:
        data = bytearray()
        for off in range(0, length, PAGE):
            stored = img[addr + off:addr + off + PAGE]
            tweak = pre + be64(off)
            dig.page(stored, addr + off, tweak)
            data += xts_page(f["xk"], tweak, stored, False) if encrypt \
                else stored
        plain.append(bytes(data))
    pld, ald, tld = dig.values()
    expect("nep", f["nep"], dig.nep)
    expect("ALD", f["ald"], ald)
    expect("TLD", f["tld"], tld)
    expect("PLD", f["pld"], pld)
    expect("PSW address (stage3b)", f["psw_addr"], comps[-1][1])

    # §3.3: the stage3b block names the components; they hold the inputs
    s3b = plain[-1]
    at = next((i for i in range(len(s3b) - 64, -1, -1)
               if struct.unpack(">Q", s3b[i:i + 8])[0] == comps[0][1] and
               struct.unpack(">Q", s3b[i + 48:i + 56])[0] == PSW_MASK),
              None)
    if at is None:
        raise Mismatch("stage3b parameter block not found")
    ks, kl, cs, cl, rs, rl, _, _ = struct.unpack(">8Q", s3b[at:at + 64])
    by_addr = {c[1]: plain[i] for i, c in enumerate(comps)}
    for what, path, src, size, nul in (("kernel", o.kernel, ks, kl, False),
                                       ("initrd", o.ramdisk, rs, rl, False),
                                       ("cmdline", o.parmfile, cs, cl, True)):
        if path is None:
            continue
        data = open(path, "rb").read()
        if nul and not data.endswith(b"\0"):
            data += b"\0"
        if src not in by_addr:
            raise Mismatch("%s: no component at 0x%x" % (what, src))
        expect("%s size in stage3b's block" % what, size, len(data))
        got = by_addr[src]
        expect("%s content" % what, got[:len(data)], data)
        expect("%s padding" % what, got[len(data):],
               bytes(len(got) - len(data)))
    return {"layout": layout, "hdr_addr": hdr_addr, "ipib_addr": ipib_addr,
            "nep": dig.nep, "pld_hex": pld.hex(), "ald_hex": ald.hex(),
            "tld_hex": tld.hex(), "tag_hex": f["tag"].hex(),
            "xts_hex": f["xk"].hex(), "cck_hex": f["cck"].hex()}


# ---- se-image-format.md §9 ---------------------------------------------------

def selftest():
    checks = []

    def check(name, got, want):
        checks.append((name, got == want))
        print("%s %d - §9 %s" % ("ok" if got == want else "not ok",
                                 len(checks), name))

    # private_cust.bin holds 15 x 00, 01, 64 x 88 (§9.1's "14 x 00 ...
    # 65 x 88" matches neither its public key nor its KEK)
    d = int.from_bytes(bytes(15) + b"\x01" + b"\x88" * 64, "big")
    cust = ec.derive_private_key(d, ec.SECP521R1())
    cx = ("c75d34f91652db457b0b209c46a491a44ee2b16e23c2d8daf116678a62f24ce3"
          "32c5995f08456b66b16dd55a92c507f1e31af78c64a82e7a541b15135015f20286")
    cy = ("01408058a7f1a5c35097533a02a93879e7de67ba280bce8365ec94b2b908f589"
          "c3a998d8be1e6307d74ae01adc46825ff6bb6fa05c1147cfe2ccf4a24f3d833dda70")
    cc = coords(cust.public_key())
    check("9.1 customer public key", cc, bytes(80 - 65) + bytes.fromhex(cx) +
          bytes(80 - 66) + bytes.fromhex(cy))
    check("9.1 SHA-256 of the customer coordinates",
          hashlib.sha256(cc).hexdigest(),
          "5ee905a9be70366815a45641afae00973b1f45292f43bcd7638ee2a73fd7c45e")
    hx = ("0176881cd84b8b6de7123c7e900edf78e7f7b684999146b1263ba8b86c8447f0"
          "8ab6d469c2b128ed9e1c35015805acd3d30233d39122f7e2f8aa1c2b147b7883b406")
    hy = ("00c34556c25cf92f29ce66bd44114d6b7b3c78e13a3f90bdb90040f6876e5262"
          "f778a61a937d1b34802eb257e34e0672dd5f2a347addaa282035092a70c35c2e7973")
    host = pub_from_coords(bytes(14) + bytes.fromhex(hx) + bytes(14) +
                           bytes.fromhex(hy))
    check("6.3 phkh of the test host key", phkh(host).hex()[:8], "415c25a5")
    check("9.1 KEK", kek(cust, host).hex(),
          "753277558f3b6003419ef249ae3c4b55aad77d09d97fdd1fc88fd8f0cf22f149")
    check("9.1 key slot", wrap_slot(cust, host, b"\x17" * 32).hex(),
          "415c25a5d19c381e619733e1c1b7fbd88bdd1c31d882d5ade04b97043c5010f0"
          "c07743c154ac20653815af37b196ad1ef8e847690c5c1ef985291df18e6870d8"
          "a038978d7ccb85b5b32bd40c15c6353f")
    hdr = seal_header({
        "iv": b"\x33" * 12, "nep": 1, "pcf": 0, "cust_coords": cc,
        "pld": b"\x02" * 64, "ald": b"\x01" * 64, "tld": b"\x03" * 64,
        "slots": [wrap_slot(cust, host, b"\x32" * 32)], "cck": b"\x31" * 32,
        "xk": b"\x03" * 64, "psw_mask": 0x162E, "psw_addr": 0x4D2, "scf": 0,
        "hpk": b"\x32" * 32})
    check("9.2 header size", len(hdr), 640)
    check("9.2 header tag", hdr[-16:].hex(),
          "7165174055f9fffa1e1c8887bb6d76de")
    check("9.2 SHA-256 of the whole header", hashlib.sha256(hdr).hexdigest(),
          "9aea8b257d5a647a4dba1ba49c27c5a37b3770f02c4a8346202e5626df9b8fb5")
    opened = open_header(hdr, b"\x32" * 32)
    check("9.2 header opens to its secrets",
          (opened["cck"], opened["xk"], opened["psw_addr"]),
          (b"\x31" * 32, b"\x03" * 64, 0x4D2))
    xk = b"\x42" * 32 + b"\x43" * 32
    pre = be64(0x42)
    dig = Digests()
    secure_component(b"\x01" * 0x3400, 0x10000, pre, xk, True, dig)
    secure_component(b"\x02" * 0x3000, 0x20000, pre, xk, True, dig)
    pld, ald, tld = dig.values()
    check("9.4 nep", dig.nep, 7)
    check("9.4 ALD", ald.hex(),
          "c391de5727a08212ea2fea9c37f9cf090be51f93c6d521b8906332ce720c5f38"
          "ada0e73e69663e5211d015fef41dc62606f5135e619904d4f450ab889f49caad")
    check("9.4 PLD", pld.hex(),
          "a24ff30a8af1295888dedfe9369eb509290309a90159ebc32ca26a53f9d4364a"
          "781857e2590587536c3e767355c7b7603f2b0c6a407f16330d82128d0964fad2")
    check("9.4 TLD", tld.hex(),
          "424fe3cf04a6f64a7aef185c3b4ef607c0e4f54bb7e14620b574a3d31eef31c7"
          "d462eb040d45ee6918e6b80968ba4454f9e2edc26f6929ed624d0055f2355659")
    check("9.5 tweak serialisation", struct.pack(">H", 3) +
          bytes.fromhex("9def2c67db76") + bytes(8),
          bytes.fromhex("00039def2c67db76") + bytes(8))
    check("9.5 metadata block", b"SeImgLnx" + be64(0x14000) +
          struct.pack(">I", 1) + be64(0x16000),
          bytes.fromhex("5365496d674c6e78000000000001400000000001"
                        "0000000000016000"))
    print("1..%d" % len(checks))
    return 0 if all(ok for _, ok in checks) else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("selftest")
    b = sub.add_parser("build")
    b.add_argument("-o", "--output", required=True)
    b.add_argument("--layout", choices="rc", default="r")
    b.add_argument("--seed", required=True)
    b.add_argument("--hdr-key")
    b.add_argument("--image-key")
    b.add_argument("--cck")
    b.add_argument("--pcf", type=lambda s: int(s, 16))
    b.add_argument("--scf", type=lambda s: int(s, 16))
    b.add_argument("-k", "--host-key-document", action="append", default=[])
    b.add_argument("-i", "--kernel", required=True)
    b.add_argument("-r", "--ramdisk")
    b.add_argument("-p", "--parmfile")
    b.add_argument("--stage3a", required=True)
    b.add_argument("--stage3b", required=True)
    b.add_argument("--bad", choices=["pld", "ald", "tld", "nep", "psw-mask",
                                     "padding"])
    o = sub.add_parser("open")
    o.add_argument("image")
    g = o.add_mutually_exclusive_group(required=True)
    g.add_argument("--host-key")
    g.add_argument("--hdr-key")
    o.add_argument("-i", "--kernel")
    o.add_argument("-r", "--ramdisk")
    o.add_argument("-p", "--parmfile")
    a = ap.parse_args()
    if a.cmd == "selftest":
        return selftest()
    if a.cmd == "build":
        img, info = build(a)
        with open(a.output, "wb") as f:
            f.write(img)
        print(json.dumps(info, indent=1))
        return 0
    try:
        print(json.dumps(open_image(a), indent=1))
    except Mismatch as e:
        print("seref: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
