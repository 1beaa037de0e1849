package io.vestige.format.apfs;

import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.FileSystemFormat;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The APFS adapter: one {@link FileSystem} per volume of the container (label = volume name), plus
 * a merged System+Data view for each macOS volume group. Accepts a container ({@code NXSB} at
 * offset 32 of block 0); {@link #wholeDisk()} also accepts a disk whose GPT holds an Apple_APFS
 * partition. Settings:
 * {@code xid=N} opens the newest checkpoint not after N; {@code snapshot=NAME} opens that
 * snapshot of every volume that has it.
 */
public final class ApfsFormat implements FileSystemFormat {
    private final boolean wholeDisk;

    /**
     * Claims APFS containers only ({@code NXSB} at offset 32): a whole disk is left to the GPT
     * volume-system reader, which hands each Apple_APFS partition back to this format (the
     * evidence opener probes file systems before partition maps).
     */
    public ApfsFormat() {
        this(false);
    }

    private ApfsFormat(boolean wholeDisk) {
        this.wholeDisk = wholeDisk;
    }

    /** A variant that also claims a whole GPT disk and opens its Apple_APFS partitions itself. */
    public static ApfsFormat wholeDisk() {
        return new ApfsFormat(true);
    }

    @Override
    public String name() {
        return "apfs";
    }

    @Override
    public boolean probe(ByteSource source) throws IOException {
        if (ApfsContainer.probe(source)) {
            return true;
        }
        if (!wholeDisk) {
            return false;
        }
        for (long[] p : GptLocator.apfsPartitions(source)) {
            if (ApfsContainer.probe(source.slice(p[0], p[1]))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<FileSystem> open(ByteSource source, EvidencePath parent, OpenOptions options) throws IOException {
        if (ApfsContainer.probe(source)) {
            return openContainer(source, parent, options);
        }
        List<FileSystem> out = new ArrayList<>();
        int n = 0;
        for (long[] p : GptLocator.apfsPartitions(source)) {
            n++;
            ByteSource part = source.slice(p[0], p[1]);
            if (ApfsContainer.probe(part)) {
                out.addAll(openContainer(part, parent.then("gpt", "#" + n + " Apple_APFS @ " + p[0]), options));
            }
        }
        if (out.isEmpty()) {
            throw new io.vestige.io.BadMagicException("APFS nx_superblock", 32, "NXSB", "no APFS container");
        }
        return out;
    }

    static List<FileSystem> openContainer(ByteSource source, EvidencePath parent, OpenOptions options)
            throws IOException {
        ApfsContainer c = ApfsContainer.open(source, parent, options);
        String snap = options.setting("snapshot");
        List<ApfsVolume> vols = c.volumes();
        List<FileSystem> out = new ArrayList<>();
        for (ApfsVolume v : vols) {
            if (v.superblock().encrypted()) {
                options.diagnostics().add(Diagnostic.warning(source.describe(), "APFS volume",
                        v.superblock().paddr() * c.blockSize(), "volume \"" + v.label() + "\" is encrypted; "
                                + "its files cannot be listed without its keys"));
            }
            if (snap == null) {
                out.add(v);
                continue;
            }
            try {
                for (ApfsSnapshot s : v.snapshots()) {
                    if (s.name().equals(snap)) {
                        out.add(v.openSnapshot(s));
                    }
                }
            } catch (ParseException e) {
                options.diagnostics().recover(source.describe(), e);
            }
        }
        if (snap != null && out.isEmpty()) {
            throw new MalformedException("APFS container", -1, "no volume has a snapshot named \"" + snap + "\"");
        }
        out.addAll(ApfsVolumeGroup.merged(out));
        return out;
    }
}
