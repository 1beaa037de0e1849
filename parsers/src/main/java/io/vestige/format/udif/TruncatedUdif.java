package io.vestige.format.udif;

import io.vestige.io.ByteSource;
import io.vestige.io.ParseLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * Recognises a UDIF image whose 512-byte koly trailer was cut off, from the other UDIF evidence near
 * its end: the XML plist with its {@code resource-fork}/{@code blkx} keys and base64 {@code mish}
 * blocks (every blkx {@code Data} value is a mish block, so it starts "bWlzaA", the base64 of "mish").
 * When the plist survives whole and ends the file, a stand-in koly can be rebuilt from it (data fork at
 * 0 up to the plist, the layout hdiutil writes). Reference: FORMATS.md §2.1-2.2.
 */
final class TruncatedUdif {
    /** How much of the end the probe looks at. */
    static final int PROBE_TAIL = 64 << 10;
    private static final String MISH_B64 = "bWlzaA";
    private static final byte[] XML_START = "<?xml".getBytes(StandardCharsets.US_ASCII);
    private static final String PLIST_END = "</plist>";

    private TruncatedUdif() {
    }

    /** Where a whole plist that ends the file lies. */
    record Plist(long offset, long length) {
    }

    /** The message every truncated-DMG outcome starts with. */
    static String missingTrailer(long fileSize) {
        return "UDIF image truncated: the 512-byte koly trailer is missing (file is " + fileSize + " bytes)";
    }

    /**
     * True when the last bytes carry UDIF evidence: the file ends with a plist holding mish blocks or
     * blkx/resource-fork keys, or (a .dmg name only) a plist cut short that still shows mish blocks.
     */
    static boolean looksLike(byte[] tail, String fileName) {
        String s = new String(tail, StandardCharsets.ISO_8859_1);
        boolean udifKeys = s.contains(MISH_B64) || s.contains("<key>blkx</key>") || s.contains("<key>resource-fork</key>");
        if (!udifKeys) {
            return false;
        }
        if (endsWithPlist(tail)) {
            return true;
        }
        // cut inside the plist: the file then ends in plist text (a damaged koly or chunk data is binary)
        return fileName != null && fileName.toLowerCase(Locale.ROOT).endsWith(".dmg")
                && (s.contains(MISH_B64) || s.contains("<key>blkx</key>")) && endsInText(tail);
    }

    /**
     * True when the last (up to) 512 bytes are printable ASCII or white space, as plist text is (from
     * the plist's start, when a short plist begins inside that window).
     */
    static boolean endsInText(byte[] tail) {
        int from = Math.max(0, tail.length - Koly.SIZE);
        int xml = new String(tail, StandardCharsets.ISO_8859_1).lastIndexOf("<?xml");
        if (xml > from) {
            from = xml;
        }
        for (int i = from; i < tail.length; i++) {
            int b = tail[i] & 0xff;
            if (!(b >= 0x20 && b < 0x7f) && !isSpace(tail[i])) {
                return false;
            }
        }
        return tail.length > 0;
    }

    static boolean endsWithPlist(byte[] tail) {
        int end = tail.length;
        while (end > 0 && isSpace(tail[end - 1])) {
            end--;
        }
        int n = PLIST_END.length();
        return end >= n && new String(tail, end - n, n, StandardCharsets.ISO_8859_1).equals(PLIST_END);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /**
     * Finds the whole plist ending the file: the last {@code <?xml} within {@code maxMetadataSize} of the
     * end (compressed chunk data before it may hold the bytes by chance; the plist holds none after its
     * start). Null when the file does not end with a plist or its start is not found.
     */
    static Plist locate(ByteSource file, ParseLimits limits) throws IOException {
        long size = file.size();
        byte[] tail = file.readAtMost(Math.max(0, size - 4096), (int) Math.min(4096, size));
        if (!endsWithPlist(tail)) {
            return null;
        }
        int ws = 0;
        while (ws < tail.length && isSpace(tail[tail.length - 1 - ws])) {
            ws++;
        }
        long end = size - ws;
        long floor = Math.max(0, end - limits.maxMetadataSize());
        final int block = 1 << 20;
        long hi = end;
        while (hi > floor) {
            long lo = Math.max(floor, hi - block);
            // overlap so a marker straddling two blocks is seen
            long readEnd = Math.min(end, hi + XML_START.length - 1);
            byte[] b = file.readBytes(lo, (int) (readEnd - lo));
            for (int i = b.length - XML_START.length; i >= 0; i--) {
                if (matchesAt(b, i)) {
                    long at = lo + i;
                    return new Plist(at, end - at);
                }
            }
            hi = lo;
        }
        return null;
    }

    private static boolean matchesAt(byte[] b, int i) {
        for (int j = 0; j < XML_START.length; j++) {
            if (b[i + j] != XML_START[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A stand-in koly for a single-segment image: data fork from 0 up to the plist, no checksums, sector
     * count 0 (media size then follows the blkx tables). Its offset is the file size, where the lost
     * trailer began.
     */
    static Koly standIn(long fileSize, Plist p) {
        UdifChecksum none = new UdifChecksum(UdifChecksum.TYPE_NONE, 0, new byte[128]);
        return new Koly(fileSize, Koly.VERSION, Koly.SIZE, 0, 0, 0, p.offset(), 0, 0, 1, 1, new UUID(0, 0), none,
                p.offset(), p.length(), 0, 0, none, 0, 0);
    }
}
