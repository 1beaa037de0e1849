package io.vestige.format.macho;

/** Tiny helpers for probes that must not throw. */
final class StructReaders {
    private StructReaders() {
    }

    static long u32be(byte[] b, int o) {
        return Integer.toUnsignedLong((b[o] & 0xff) << 24 | (b[o + 1] & 0xff) << 16 | (b[o + 2] & 0xff) << 8 | (b[o + 3] & 0xff));
    }
}
