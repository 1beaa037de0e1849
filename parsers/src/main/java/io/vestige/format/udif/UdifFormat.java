package io.vestige.format.udif;

import io.vestige.evidence.Container;
import io.vestige.evidence.ContainerFormat;
import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Apple UDIF disk images (.dmg, every chunk codec, segmented sets, old resource-fork images) as a
 * {@link ContainerFormat}. Probe: a koly block (magic, version 4, header size 512) in the last 512
 * bytes, or in the first 512; or, for an image whose trailer was cut off, an XML plist with blkx/mish
 * data ending the file ({@link TruncatedUdif}). Known collision: a raw disk whose last sector happens to be a koly
 * block (a .dmg stored at the very end of a raw disk image) is claimed as UDIF — the version and
 * header-size checks make an accidental match unlikely. Reference: FORMATS.md §2.
 */
public final class UdifFormat implements ContainerFormat {
    @Override
    public String name() {
        return "udif";
    }

    @Override
    public boolean probe(EvidenceCandidate candidate) throws IOException {
        if (candidate.isDirectory() || candidate.size() < Koly.SIZE) {
            return false;
        }
        if (Koly.looksLike(candidate.tail(Koly.SIZE)) || Koly.looksLike(candidate.head(Koly.SIZE))) {
            return true;
        }
        // a .dmg whose trailer was cut off: claim it so that open() explains the truncation instead of the
        // image falling through to the raw format as "no file system"
        return TruncatedUdif.looksLike(candidate.tail(TruncatedUdif.PROBE_TAIL), candidate.fileName());
    }

    @Override
    public Container open(EvidenceCandidate candidate, OpenOptions options) throws IOException {
        Path path = candidate.path();
        String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        boolean host = isHostFile(candidate);
        ByteSource file = host ? ByteSources.open(path) : candidate.source();
        UdifImage.SegmentOpener segs = host ? segmentOpener(path) : null;
        UdifImage img = UdifImage.open(file, host, name, segs, options);
        return container(img, name, "udif");
    }

    static boolean isHostFile(EvidenceCandidate c) throws IOException {
        Path p = c.path();
        return Files.isRegularFile(p) && Files.size(p) == c.size();
    }

    /** Segments of {@code name.dmg} are {@code name.002.dmgpart}, {@code name.003.dmgpart} … beside it. */
    static UdifImage.SegmentOpener segmentOpener(Path first) {
        String fn = first.getFileName().toString();
        String base = fn.toLowerCase(Locale.ROOT).endsWith(".dmg") ? fn.substring(0, fn.length() - 4) : fn;
        Path dir = first.toAbsolutePath().getParent();
        return n -> {
            Path p = dir.resolve(String.format(Locale.ROOT, "%s.%03d.dmgpart", base, n));
            return Files.isRegularFile(p) ? ByteSources.open(p) : null;
        };
    }

    static Container container(UdifImage img, String name, String format) {
        List<String> segments = new ArrayList<>();
        segments.add(name);
        int n = (int) Math.max(1, img.koly().segmentCount());
        String base = name.toLowerCase(Locale.ROOT).endsWith(".dmg") ? name.substring(0, name.length() - 4) : name;
        for (int i = 2; i <= n; i++) {
            segments.add(String.format(Locale.ROOT, "%s.%03d.dmgpart", base, i));
        }
        ContainerInfo info = new ContainerInfo(format, img.media().size(), UdifImage.SECTOR, segments, Map.of(), Map.of(),
                img.details());
        EvidencePath ep = EvidencePath.ofFile(name);
        return new Container() {
            @Override
            public ContainerInfo info() {
                return info;
            }

            @Override
            public EvidencePath evidencePath() {
                return ep;
            }

            @Override
            public ByteSource media() {
                return img.media();
            }

            @Override
            public List<Diagnostic> diagnostics() {
                return img.diagnostics();
            }

            @Override
            public void close() throws IOException {
                img.close();
            }
        };
    }
}
