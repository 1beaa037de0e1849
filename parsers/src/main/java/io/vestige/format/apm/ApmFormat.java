package io.vestige.format.apm;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.Partition;
import io.vestige.evidence.VolumeSystem;
import io.vestige.evidence.VolumeSystemFormat;
import io.vestige.io.BadMagicException;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.MalformedException;
import io.vestige.io.StructReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Apple Partition Map: driver descriptor ("ER", block size and count) in block 0, "PM" entries from
 * block 1. Free-space entries ({@code Apple_Free}) are counted in {@code info} but not listed as
 * partitions. Entry spacing follows the DDM block size, or 512 where hybrid CD images keep 512-byte
 * entries under a 2048-byte DDM.
 */
public final class ApmFormat implements VolumeSystemFormat {
    @Override
    public String name() {
        return "apm";
    }

    @Override
    public boolean probe(ByteSource media) throws IOException {
        byte[] b = media.readAtMost(0, 8);
        if (b.length < 8 || b[0] != 'E' || b[1] != 'R') {
            return false;
        }
        int bs = (b[2] & 0xff) << 8 | (b[3] & 0xff);
        byte[] pm = media.readAtMost(validBlock(bs) ? bs : 512, 2);
        byte[] pm512 = media.readAtMost(512, 2);
        return pm.length == 2 && pm[0] == 'P' && pm[1] == 'M' || pm512.length == 2 && pm512[0] == 'P' && pm512[1] == 'M';
    }

    private static boolean validBlock(int bs) {
        return bs >= 512 && bs <= 32768 && (bs & (bs - 1)) == 0;
    }

    @Override
    public VolumeSystem open(ByteSource media, EvidencePath parent, OpenOptions options) throws IOException {
        byte[] ddm = media.readBytes(0, 8);
        if (ddm[0] != 'E' || ddm[1] != 'R') {
            throw new BadMagicException("APM driver descriptor", 0, "ER", new String(ddm, 0, 2,
                    java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        StructReader d = StructReader.be(ddm, 0, "APM driver descriptor");
        int blockSize = d.u16(2);
        List<Diagnostic> diags = new ArrayList<>();
        if (!validBlock(blockSize)) {
            diags.add(Diagnostic.warning(media.describe(), "APM driver descriptor", 2, "block size " + blockSize
                    + " is not a power of two >= 512; 512 used"));
            blockSize = 512;
        }
        int spacing = blockSize;
        byte[] first = media.readAtMost(spacing, 2);
        if (!(first.length == 2 && first[0] == 'P' && first[1] == 'M')) {
            spacing = 512;
        }
        byte[] e1 = media.readBytes(spacing, 512);
        StructReader r1 = StructReader.be(e1, spacing, "APM entry 1");
        if (r1.u16(0) != 0x504d) {
            throw new BadMagicException("APM entry 1", spacing, "PM", String.format("0x%04x", r1.u16(0)));
        }
        long count = r1.u32(4);
        options.limits().check("maxTableEntries", count, "APM map entry count", spacing + 4L);
        if (count == 0 || (count + 1) * spacing > media.size()) {
            throw new MalformedException("APM entry 1", spacing + 4L, "map claims " + count + " entries of "
                    + spacing + " bytes; the media has " + media.size() + " bytes");
        }
        List<Partition> parts = new ArrayList<>();
        int free = 0;
        for (int i = 1; i <= count; i++) {
            long off = (long) i * spacing;
            byte[] e = media.readBytes(off, 512);
            StructReader r = StructReader.be(e, off, "APM entry " + i);
            if (r.u16(0) != 0x504d) {
                diags.add(Diagnostic.warning(media.describe(), "APM entry", off, "entry " + i + " lacks the PM "
                        + "signature; map ends here"));
                break;
            }
            ApmEntry a = ApmEntry.parse(r, i);
            if (a.type().equals("Apple_Free")) {
                free++;
                continue;
            }
            long offset = a.startBlock() * blockSize;
            long length = a.blockCount() * blockSize;
            long avail = Math.max(0, media.size() - Math.min(offset, media.size()));
            Map<String, Object> attrs = new TreeMap<>();
            attrs.put("status", a.status());
            attrs.put("startBlock", a.startBlock());
            attrs.put("blockCount", a.blockCount());
            if (length > avail) {
                attrs.put("truncated", true);
                diags.add(Diagnostic.warning(media.describe(), "APM entry", off, "partition " + i + " ends beyond "
                        + "the media; truncated"));
            }
            parts.add(new Partition(i, "apm", a.type(), ApmEntry.typeName(a.type()), a.name(), offset, length,
                    media.slice(Math.min(offset, media.size()), Math.min(length, avail)),
                    parent.then("apm", "#" + i + " @ " + offset), attrs));
        }
        Map<String, Object> info = new TreeMap<>();
        info.put("blockSize", blockSize);
        info.put("blockCount", d.u32(4));
        info.put("mapEntries", count);
        info.put("freeEntries", free);
        List<Partition> fp = List.copyOf(parts);
        List<Diagnostic> fd = List.copyOf(diags);
        int bs = blockSize;
        return new VolumeSystem() {
            @Override
            public String type() {
                return "apm";
            }

            @Override
            public int blockSize() {
                return bs;
            }

            @Override
            public List<Partition> partitions() {
                return fp;
            }

            @Override
            public Map<String, Object> info() {
                return info;
            }

            @Override
            public List<Diagnostic> diagnostics() {
                return fd;
            }
        };
    }
}
