package io.vestige.format.apfs;

/**
 * The Fletcher-64 variant every APFS object header carries in its first 8 bytes: computed over the
 * rest of the object as little-endian 32-bit words, sums modulo 2^32-1 (Apple File System Reference,
 * "Object Checksums"; apfsprogs lib/checksum.c).
 */
final class Fletcher64 {
    private static final long MOD = 0xFFFFFFFFL;

    private Fletcher64() {
    }

    /** The checksum of {@code block[8..len)} as stored at offset 0. */
    static long compute(byte[] block, int len) {
        long s1 = 0;
        long s2 = 0;
        int words = 0;
        for (int i = 8; i + 4 <= len; i += 4) {
            long w = (block[i] & 0xffL) | (block[i + 1] & 0xffL) << 8 | (block[i + 2] & 0xffL) << 16
                    | (block[i + 3] & 0xffL) << 24;
            s1 += w;
            s2 += s1;
            // s1 stays below 2^43 and s2 below 2^63 when reduced every 1024 words
            if (++words == 1024) {
                s1 %= MOD;
                s2 %= MOD;
                words = 0;
            }
        }
        s1 %= MOD;
        s2 %= MOD;
        long c1 = MOD - (s1 + s2) % MOD;
        long c2 = MOD - (s1 + c1) % MOD;
        return c2 << 32 | c1;
    }

    static long stored(byte[] block) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (block[i] & 0xff);
        }
        return v;
    }

    static boolean verify(byte[] block, int len) {
        return stored(block) == compute(block, len);
    }
}
