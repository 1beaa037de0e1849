package io.vestige.hunt;

import java.io.IOException;

/** Property lists as the hunt needs them: which format, and the parsed value. */
final class Plists {
    private Plists() {
    }

    static String formatOf(byte[] b) {
        if (b.length >= 8 && new String(b, 0, 6, java.nio.charset.StandardCharsets.US_ASCII).equals("bplist")) {
            return "binary";
        }
        return "xml";
    }

    static Object parse(byte[] bytes) throws IOException {
        return io.vestige.format.plist.PropertyList.parse(bytes);
    }
}
