package io.vestige.format.gpt;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.Partition;
import io.vestige.evidence.VolumeSystem;
import io.vestige.evidence.VolumeSystemFormat;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Adapter of {@link GptTable} into the volume-system layer. */
public final class GptFormat implements VolumeSystemFormat {
    @Override
    public String name() {
        return "gpt";
    }

    @Override
    public boolean probe(ByteSource media) throws IOException {
        return GptTable.probe(media);
    }

    @Override
    public VolumeSystem open(ByteSource media, EvidencePath parent, OpenOptions options) throws IOException {
        GptTable t = GptTable.read(media, options.limits());
        List<Diagnostic> diags = new ArrayList<>(t.diagnostics());
        List<Partition> parts = new ArrayList<>();
        long ss = t.blockSize();
        for (GptEntry e : t.entries()) {
            Map<String, Object> attrs = new TreeMap<>();
            attrs.put("uniqueGuid", e.unique().toString());
            attrs.put("attributes", e.attributes());
            attrs.put("firstLba", e.firstLba());
            attrs.put("lastLba", e.lastLba());
            if (Long.compareUnsigned(e.firstLba(), e.lastLba()) > 0 || e.firstLba() < 0
                    || e.firstLba() > Long.MAX_VALUE / ss) {
                diags.add(Diagnostic.warning(media.describe(), "GPT entry", t.header().entriesLba() * ss
                        + (e.index() - 1) * t.header().entrySize(), "entry " + e.index() + " has first LBA "
                        + Long.toUnsignedString(e.firstLba()) + " after last LBA " + Long.toUnsignedString(e.lastLba())
                        + "; skipped"));
                continue;
            }
            long offset = e.firstLba() * ss;
            long length = Math.multiplyExact(e.lastLba() - e.firstLba() + 1, ss);
            long avail = Math.max(0, media.size() - Math.min(offset, media.size()));
            if (length > avail) {
                diags.add(Diagnostic.warning(media.describe(), "GPT entry", offset, "partition " + e.index()
                        + " ends beyond the media (" + length + " bytes declared, " + avail + " present); truncated"));
                attrs.put("truncated", true);
            }
            ByteSource src = media.slice(Math.min(offset, media.size()), Math.min(length, avail));
            String type = e.type().toString().toUpperCase(java.util.Locale.ROOT);
            parts.add(new Partition(e.index(), "gpt", type, GptTypes.name(e.type()), e.name(), offset, length, src,
                    parent.then("gpt", "#" + e.index() + " @ " + offset), attrs));
        }
        Map<String, Object> info = new TreeMap<>();
        info.put("diskGuid", t.header().diskGuid().toString());
        info.put("blockSize", t.blockSize());
        info.put("usedBackup", t.usedBackup());
        info.put("entryCount", t.header().entryCount());
        info.put("entrySize", t.header().entrySize());
        info.put("firstUsableLba", t.header().firstUsableLba());
        info.put("lastUsableLba", t.header().lastUsableLba());
        List<Partition> fparts = List.copyOf(parts);
        List<Diagnostic> fdiags = List.copyOf(diags);
        int bs = t.blockSize();
        return new VolumeSystem() {
            @Override
            public String type() {
                return "gpt";
            }

            @Override
            public int blockSize() {
                return bs;
            }

            @Override
            public List<Partition> partitions() {
                return fparts;
            }

            @Override
            public Map<String, Object> info() {
                return info;
            }

            @Override
            public List<Diagnostic> diagnostics() {
                return fdiags;
            }
        };
    }
}
