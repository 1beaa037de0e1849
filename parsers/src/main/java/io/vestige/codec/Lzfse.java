package io.vestige.codec;

import io.vestige.io.ParseException;
import io.vestige.io.UnsupportedFormatException;

/**
 * LZFSE decoder (block magics {@code bvx1}, {@code bvx2}, {@code bvxn}, {@code bvx-}, end {@code bvx$}),
 * used by APFS decmpfs types 11/12 and ULFO DMG chunks. Pure Java; validates every length.
 */
public final class Lzfse {
    private Lzfse() {
    }

    /**
     * Decodes an LZFSE stream of {@code srcLen} bytes at {@code src[srcOff]} into
     * {@code dst[dstOff..dstOff+dstLen)}.
     *
     * @return the number of bytes written
     * @throws ParseException on a malformed stream or when the output would exceed {@code dstLen}
     */
    public static int decode(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen) throws ParseException {
        throw new UnsupportedFormatException("LZFSE stream", srcOff, "the LZFSE decoder is not available in this build");
    }
}
