package io.vestige.format.gpt;

import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * GPT partition entry (128 bytes by default; the header's entry size is honoured).
 *
 * <pre>
 * 0  16 partition type GUID (all zero = unused)
 * 16 16 unique partition GUID
 * 32 8  first LBA
 * 40 8  last LBA (inclusive)
 * 48 8  attribute flags
 * 56 72 name, UTF-16LE, NUL padded
 * </pre>
 */
public record GptEntry(int index, UUID type, UUID unique, long firstLba, long lastLba, long attributes, String name) {

    static GptEntry parse(StructReader r, int off, int index) throws TruncatedException {
        byte[] n = r.bytes(off + 56, 72);
        int len = 0;
        while (len + 1 < n.length && (n[len] != 0 || n[len + 1] != 0)) {
            len += 2;
        }
        return new GptEntry(index, r.guidMixed(off), r.guidMixed(off + 16), r.u64(off + 32), r.u64(off + 40),
                r.u64(off + 48), new String(n, 0, len, StandardCharsets.UTF_16LE));
    }

    public boolean used() {
        return type.getMostSignificantBits() != 0 || type.getLeastSignificantBits() != 0;
    }
}
