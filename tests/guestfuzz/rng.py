# SPDX-License-Identifier: MIT
"""The guest fuzzer's random source: SplitMix64 (Steele, Lea, Flood 2014),
written out here so that a seed gives the same guest with any Python
version (the random module's algorithms for ranges and choices have
changed between versions)."""

MASK = (1 << 64) - 1


def mix(z):
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9 & MASK
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb & MASK
    return z ^ (z >> 31)


class Rng:
    def __init__(self, seed):
        self.state = seed & MASK

    def u64(self):
        self.state = (self.state + 0x9e3779b97f4a7c15) & MASK
        return mix(self.state)

    def below(self, n):
        """0 <= value < n (n >= 1); the small modulo bias does not matter
        here."""
        return self.u64() % n if n > 1 else 0

    def range(self, lo, hi):
        """lo <= value <= hi."""
        return lo + self.below(hi - lo + 1)

    def chance(self, percent):
        return self.below(100) < percent

    def pick(self, items):
        return items[self.below(len(items))]

    def weighted(self, table):
        """table: list of (weight, value)."""
        total = sum(w for w, _ in table)
        x = self.below(total)
        for w, v in table:
            if x < w:
                return v
            x -= w
        return table[-1][1]

    def bytes(self, n):
        out = bytearray()
        while len(out) < n:
            out += self.u64().to_bytes(8, 'big')
        return bytes(out[:n])

    def fork(self, salt):
        """An independent stream for one part of the guest, so that a
        change in one part does not shift the others."""
        return Rng(mix(self.state ^ mix(salt & MASK)))
