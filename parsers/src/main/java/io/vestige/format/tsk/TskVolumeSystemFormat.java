package io.vestige.format.tsk;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.OpenOptions;
import io.vestige.evidence.Partition;
import io.vestige.evidence.VolumeSystem;
import io.vestige.evidence.VolumeSystemFormat;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.ParseLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Sleuth Kit's volume systems ({@code tsk_vs_open}: DOS/MBR, GPT, Apple partition map, BSD
 * disklabel, Sun VTOC) as a Vestige {@link VolumeSystemFormat}; registered after the native
 * partition-map readers. Partitions are slices of the media, so the file systems inside are
 * probed by every engine. TSK runs in an isolated worker unless {@code tsk.isolate=false}.
 */
public final class TskVolumeSystemFormat implements VolumeSystemFormat {
    private final String libPath;
    private final boolean isolate;

    public TskVolumeSystemFormat() {
        this(null, true);
    }

    public TskVolumeSystemFormat(String libPath, boolean isolate) {
        this.libPath = libPath;
        this.isolate = isolate;
    }

    @Override
    public String name() {
        return "tsk-vs";
    }

    private TskVsInfo find(ByteSource media, String lp, boolean iso, ParseLimits limits) throws IOException {
        TskLibrary lib;
        try {
            lib = TskLibrary.load(lp);
        } catch (TskUnavailableException e) {
            return null;
        }
        if (media.size() < 1024) {
            return null;
        }
        if (iso) {
            TskWorkerClient w = TskWorkerClient.start(media);
            try {
                return w.volumeSystem(lp, limits);
            } finally {
                w.shutdown();
            }
        }
        try (TskImage img = lib.openImage(media)) {
            return img.volumeSystem(0, limits);
        }
    }

    /** Never throws (see {@link TskFormat#probe}). */
    @Override
    public boolean probe(ByteSource media) {
        try {
            TskVsInfo vs = find(media, libPath, isolate, ParseLimits.defaults());
            return vs != null && vs.parts().stream().anyMatch(TskVsPartInfo::allocated);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public VolumeSystem open(ByteSource media, EvidencePath parent, OpenOptions options) throws IOException {
        String lp = libPath != null ? libPath : options.setting("tsk.lib");
        boolean iso = isolate && !"false".equalsIgnoreCase(options.setting("tsk.isolate"));
        TskLibrary.load(lp);
        TskVsInfo vs = find(media, lp, iso, options.limits());
        if (vs == null) {
            throw new TskException("TSK tsk_vs_open", 0, "no volume system recognised");
        }
        List<Partition> parts = new ArrayList<>();
        List<Diagnostic> diags = new ArrayList<>();
        int n = 0;
        for (TskVsPartInfo p : vs.parts()) {
            if (!p.allocated()) {
                continue;
            }
            n++;
            long off;
            long len;
            try {
                off = Math.addExact(vs.offset(), Math.multiplyExact(p.start(), vs.blockSize()));
                len = Math.multiplyExact(p.length(), vs.blockSize());
            } catch (ArithmeticException e) {
                diags.add(Diagnostic.warning(parent.toString(), "TSK_VS_PART_INFO", -1,
                        "partition " + p.addr() + " has an impossible extent; skipped"));
                continue;
            }
            if (off < 0 || len <= 0 || off >= media.size()) {
                diags.add(Diagnostic.warning(parent.toString(), "TSK_VS_PART_INFO", off,
                        "partition " + p.addr() + " \"" + p.desc() + "\" lies outside the media; skipped"));
                continue;
            }
            if (len > media.size() - off) {
                diags.add(Diagnostic.warning(parent.toString(), "TSK_VS_PART_INFO", off,
                        "partition " + p.addr() + " runs past the end of the media; truncated"));
                len = media.size() - off;
            }
            int index = p.slotNum() >= 0 ? p.slotNum() + 1 : n;
            Map<String, Object> attrs = new TreeMap<>();
            attrs.put("tsk.addr", p.addr());
            attrs.put("tsk.table", p.tableNum());
            attrs.put("tsk.slot", p.slotNum());
            EvidencePath at = parent.then(vs.typeName(), "#" + index + " @ " + off);
            parts.add(new Partition(index, vs.typeName(), p.desc(), p.desc(), "", off, len, media.slice(off, len), at,
                    attrs));
        }
        String type = vs.typeName();
        long bs = vs.blockSize();
        boolean backup = vs.backup();
        return new VolumeSystem() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public int blockSize() {
                return (int) Math.min(Integer.MAX_VALUE, bs);
            }

            @Override
            public List<Partition> partitions() {
                return List.copyOf(parts);
            }

            @Override
            public Map<String, Object> info() {
                Map<String, Object> m = new TreeMap<>();
                m.put("engine", "tsk");
                m.put("backupTableUsed", backup);
                return m;
            }

            @Override
            public List<Diagnostic> diagnostics() {
                return List.copyOf(diags);
            }
        };
    }
}
