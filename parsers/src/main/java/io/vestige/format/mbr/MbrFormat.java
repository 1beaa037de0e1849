package io.vestige.format.mbr;

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

/** Adapter of {@link MbrTable} into the volume-system layer; probed after GPT and APM. */
public final class MbrFormat implements VolumeSystemFormat {
    @Override
    public String name() {
        return "mbr";
    }

    @Override
    public boolean probe(ByteSource media) throws IOException {
        return MbrTable.probe(media);
    }

    @Override
    public VolumeSystem open(ByteSource media, EvidencePath parent, OpenOptions options) throws IOException {
        MbrTable t = MbrTable.read(media, options.limits());
        List<Partition> parts = new ArrayList<>();
        for (MbrTable.Logical l : t.partitions()) {
            long offset = l.firstLba() * MbrTable.SECTOR;
            long length = l.sectorCount() * MbrTable.SECTOR;
            long avail = Math.max(0, media.size() - Math.min(offset, media.size()));
            Map<String, Object> attrs = new TreeMap<>();
            attrs.put("bootable", l.bootable());
            attrs.put("logical", l.logical());
            if (length > avail) {
                attrs.put("truncated", true);
            }
            ByteSource src = media.slice(Math.min(offset, media.size()), Math.min(length, avail));
            parts.add(new Partition(l.index(), "mbr", String.format("0x%02x", l.type()),
                    MbrPartitionEntry.typeName(l.type()), "", offset, length, src,
                    parent.then("mbr", "#" + l.index() + " @ " + offset), attrs));
        }
        Map<String, Object> info = new TreeMap<>();
        info.put("diskSignature", String.format("0x%08x", t.diskSignature()));
        List<Partition> fp = List.copyOf(parts);
        List<Diagnostic> fd = List.copyOf(t.diagnostics());
        return new VolumeSystem() {
            @Override
            public String type() {
                return "mbr";
            }

            @Override
            public int blockSize() {
                return MbrTable.SECTOR;
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
