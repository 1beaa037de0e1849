package io.vestige.format.udif;

import io.vestige.codec.Adc;
import io.vestige.codec.Lzfse;
import io.vestige.io.LimitExceededException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.UnsupportedFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.MemoryLimitException;
import org.tukaani.xz.XZInputStream;

/**
 * Decodes one compressed UDIF chunk into exactly its media length. A chunk that decodes to fewer or
 * more bytes than its sector count says is malformed (a lying length); nothing is read or written
 * beyond the two buffers. Codecs: ADC and LZFSE (pure Java, {@code io.vestige.codec}), zlib
 * ({@code java.util.zip}), bzip2 (Commons Compress), LZMA (xz streams, FORMATS.md §11; LZMA-alone
 * accepted too, org.tukaani:xz).
 */
final class ChunkDecoder {
    private ChunkDecoder() {
    }

    /** Memory the xz decoder may use for one chunk, in KiB. */
    private static final int XZ_MEMORY_LIMIT_KIB = 256 * 1024;

    static void decode(long type, byte[] in, byte[] out, String structure, long at) throws ParseException {
        int n;
        if (type == BlkxChunk.ZLIB) {
            n = inflate(in, out, structure, at);
        } else if (type == BlkxChunk.ADC) {
            n = Adc.decode(in, 0, in.length, out, 0, out.length);
        } else if (type == BlkxChunk.LZFSE) {
            n = Lzfse.decode(in, 0, in.length, out, 0, out.length);
        } else if (type == BlkxChunk.BZIP2) {
            n = stream(type, in, out, structure, at);
        } else if (type == BlkxChunk.LZMA) {
            n = stream(type, in, out, structure, at);
        } else {
            throw new UnsupportedFormatException(structure, at, "chunk type " + BlkxChunk.typeName(type) + " is not a compression");
        }
        if (n != out.length) {
            throw new MalformedException(structure, at, BlkxChunk.typeName(type) + " chunk decodes to " + n
                    + " bytes; its sector count says " + out.length);
        }
    }

    private static int inflate(byte[] in, byte[] out, String structure, long at) throws ParseException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(in);
            int n = 0;
            int stalls = 0;
            while (n < out.length) {
                int k = inf.inflate(out, n, out.length - n);
                if (k == 0) {
                    if (inf.finished() || inf.needsInput() || inf.needsDictionary() || ++stalls > 4) {
                        break;
                    }
                }
                n += k;
            }
            if (n == out.length && !inf.finished()) {
                byte[] one = new byte[1];
                if (inf.inflate(one) > 0) {
                    throw new MalformedException(structure, at, "zlib chunk holds more than its "
                            + out.length + " bytes (lying sector count)");
                }
            }
            return n;
        } catch (DataFormatException e) {
            throw new MalformedException(structure, at, "zlib data error: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }

    private static int stream(long type, byte[] in, byte[] out, String structure, long at) throws ParseException {
        String name = BlkxChunk.typeName(type);
        try (InputStream s = open(type, in)) {
            int n = s.readNBytes(out, 0, out.length);
            if (n == out.length && s.read() != -1) {
                throw new MalformedException(structure, at, name + " chunk holds more than its "
                        + out.length + " bytes (lying sector count)");
            }
            return n;
        } catch (MemoryLimitException e) {
            throw new LimitExceededException(structure, at, "xz memory (KiB)", XZ_MEMORY_LIMIT_KIB, e.getMemoryNeeded());
        } catch (ParseException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Commons Compress and xz report corrupt input as IOException (and, for a few hostile
            // inputs, as unchecked exceptions): both mean this chunk is damaged.
            throw new MalformedException(structure, at, name + " data error: " + e, e);
        }
    }

    private static InputStream open(long type, byte[] in) throws IOException {
        ByteArrayInputStream bin = new ByteArrayInputStream(in);
        if (type == BlkxChunk.BZIP2) {
            return new BZip2CompressorInputStream(bin, false);
        }
        boolean xz = in.length >= 6 && (in[0] & 0xff) == 0xfd && in[1] == '7' && in[2] == 'z' && in[3] == 'X'
                && in[4] == 'Z' && in[5] == 0;
        return xz ? new XZInputStream(bin, XZ_MEMORY_LIMIT_KIB) : new LZMAInputStream(bin, XZ_MEMORY_LIMIT_KIB);
    }
}
