package io.vestige.format.ewf;

import io.vestige.evidence.Container;
import io.vestige.evidence.ContainerFormat;
import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adapter of EWF1 ({@link EwfImage}: E01, S01, L01) and EWF2 ({@link Ewf2Image}: Ex01, Lx01) into the
 * container layer. Probes by signature; the user may name any segment of the set.
 */
public final class EwfFormat implements ContainerFormat {
    @Override
    public String name() {
        return "ewf";
    }

    @Override
    public boolean probe(EvidenceCandidate candidate) throws IOException {
        if (candidate.isDirectory()) {
            return false;
        }
        byte[] h = candidate.head(8);
        return EwfImage.matches(h) || Ewf2Image.matches(h);
    }

    @Override
    public Container open(EvidenceCandidate candidate, OpenOptions options) throws IOException {
        byte[] h = candidate.head(8);
        Diagnostics diags = options.diagnostics();
        String name = candidate.path().getFileName().toString();
        if (!java.nio.file.Files.isRegularFile(candidate.path()) && candidate.source() != null && EwfImage.matches(h)) {
            // an image inside evidence (no sibling files to find): a single-segment set read through a
            // non-owning view, so that closing the container leaves the candidate's source open
            ByteSource view = candidate.source().slice(0, candidate.source().size());
            EwfImage img = EwfImage.open(List.of(view), List.of(name), options.limits(), diags);
            img.zeroOnChecksumError(zero(options));
            return new EwfContainer(img, info(img), name, diags);
        }
        if (Ewf2Image.matches(h)) {
            Ewf2Image img = Ewf2Image.open(candidate.path(), options.limits(), diags);
            img.zeroOnChecksumError(zero(options));
            return new EwfContainer(img, info(img), name, diags);
        }
        EwfImage img = EwfImage.open(candidate.path(), options.limits(), diags);
        img.zeroOnChecksumError(zero(options));
        return new EwfContainer(img, info(img), name, diags);
    }

    /** Setting {@code ewf.zeroOnChecksumError=true}: zero-fill stored chunks whose Adler-32 fails. */
    private static boolean zero(OpenOptions o) {
        return Boolean.parseBoolean(o.setting("ewf.zeroOnChecksumError"));
    }

    /** The container facts of an EWF1 set. */
    public static ContainerInfo info(EwfImage img) {
        EwfVolume v = img.volume();
        Map<String, String> md = new TreeMap<>(EwfHeaderValues.toMetadata(img.headerValues()));
        md.put("mediaType", v.mediaTypeName());
        md.put("software", img.fileFormat());
        String fromHeader = md.remove("compression");
        if (fromHeader != null) {
            md.put("headerCompression", fromHeader);
        }
        // the volume's level is what libewf reports; FTK writes 'f' in the header yet level 0
        if (v.compressionLevel() < 0 && fromHeader != null) {
            md.put("compression", fromHeader);
        } else if (v.compressionLevel() >= 0) {
            md.put("compression", switch (v.compressionLevel()) {
                case 0 -> "none";
                case 1 -> "fast";
                case 2 -> "best";
                default -> "level " + v.compressionLevel();
            });
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("fileFormat", img.fileFormat());
        if (v.mediaType() == 0x0e) {
            // L01: the "media" is the acquired files' data back to back; their tree (ltree) is not parsed yet
            d.put("logicalEvidence", true);
        }
        d.put("chunkSize", v.chunkSize());
        d.put("chunkCount", img.chunkCount());
        d.put("tableEntries", img.tableEntryCount());
        d.put("sectorsPerChunk", v.sectorsPerChunk());
        d.put("sectorCount", v.sectorCount());
        d.put("errorGranularity", v.errorGranularity());
        d.put("mediaFlags", v.mediaFlags());
        d.put("mediaFlagNames", flagNames(v.mediaFlags()));
        d.put("isPhysical", (v.mediaFlags() & 2) != 0);
        if (v.setGuid() != null) {
            d.put("setGuid", v.setGuid().toString());
        }
        List<Map<String, Object>> errs = new ArrayList<>();
        for (EwfImage.ErrorRange e : img.errorRanges()) {
            Map<String, Object> m = new TreeMap<>();
            m.put("firstSector", e.firstSector());
            m.put("sectorCount", e.sectorCount());
            errs.add(m);
        }
        d.put("errorRanges", errs);
        return new ContainerInfo("ewf", img.size(), v.bytesPerSector(), img.segmentNames(), img.storedHashes(), md, d);
    }

    /** The container facts of an EWF2 set. */
    public static ContainerInfo info(Ewf2Image img) {
        Map<String, String> md = new TreeMap<>(img.metadata());
        Map<String, Object> d = new LinkedHashMap<>(img.details());
        return new ContainerInfo("ewf2", img.size(), img.bytesPerSector(), img.segmentNames(), img.storedHashes(), md, d);
    }

    private static List<String> flagNames(int f) {
        List<String> l = new ArrayList<>();
        if ((f & 1) != 0) {
            l.add("image");
        }
        if ((f & 2) != 0) {
            l.add("physical");
        }
        if ((f & 4) != 0) {
            l.add("fastbloc");
        }
        if ((f & 8) != 0) {
            l.add("tableau");
        }
        return l;
    }

    private static final class EwfContainer implements Container {
        private final EwfMedia media;
        private final ContainerInfo info;
        private final EvidencePath path;
        private final Diagnostics diags;

        EwfContainer(EwfMedia media, ContainerInfo info, String name, Diagnostics diags) {
            this.media = media;
            this.info = info;
            this.path = EvidencePath.ofFile(name);
            this.diags = diags;
        }

        @Override
        public ContainerInfo info() {
            return info;
        }

        @Override
        public EvidencePath evidencePath() {
            return path;
        }

        @Override
        public ByteSource media() {
            return media;
        }

        @Override
        public List<Diagnostic> diagnostics() {
            return diags.list();
        }

        @Override
        public void close() throws IOException {
            media.close();
        }
    }
}
