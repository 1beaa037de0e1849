package io.vestige.format.tar;

import io.vestige.io.UnsupportedFormatException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * The compression around a tar stream, recognized by its magic: gzip {@code 1f 8b} (RFC 1952),
 * bzip2 {@code BZh} + block size digit, xz {@code FD 37 7A 58 5A 00}, zstd frame {@code 28 B5 2F FD}
 * (RFC 8878). Multi-member gzip and concatenated bzip2/xz streams are read through.
 */
public enum TarCompression {
    NONE("none"), GZIP("gzip"), BZIP2("bzip2"), XZ("xz"), ZSTD("zstd");

    private final String label;

    TarCompression(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The compression whose magic starts {@code head}, or {@link #NONE}. */
    public static TarCompression detect(byte[] head) {
        if (head.length >= 3 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b && head[2] == 8) {
            return GZIP;
        }
        if (head.length >= 4 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h' && head[3] >= '1' && head[3] <= '9') {
            return BZIP2;
        }
        if (head.length >= 6 && (head[0] & 0xff) == 0xFD && head[1] == '7' && head[2] == 'z' && head[3] == 'X'
                && head[4] == 'Z' && head[5] == 0) {
            return XZ;
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xB5 && (head[2] & 0xff) == 0x2F
                && (head[3] & 0xff) == 0xFD) {
            return ZSTD;
        }
        return NONE;
    }

    /** Wraps the compressed bytes in a decompressor (the returned stream closes {@code in}). */
    public InputStream decompress(InputStream in) throws IOException {
        InputStream buffered = new BufferedInputStream(in, 1 << 16);
        try {
            return switch (this) {
                case NONE -> buffered;
                case GZIP -> new GzipCompressorInputStream(buffered, true);
                case BZIP2 -> new BZip2CompressorInputStream(buffered, true);
                case XZ -> new XZCompressorInputStream(buffered, true);
                case ZSTD -> zstd(buffered);
            };
        } catch (IOException | RuntimeException e) {
            buffered.close();
            throw e;
        }
    }

    private static InputStream zstd(InputStream in) throws IOException {
        try {
            return new ZstdCompressorInputStream(in);
        } catch (LinkageError e) {
            // zstd-jni ships native code per platform; without it zstd cannot be read
            throw new UnsupportedFormatException("zstd stream", 0,
                    "zstd decompression needs zstd-jni's native library, which could not be loaded here: " + e);
        }
    }
}
