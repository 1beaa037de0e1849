package io.vestige.format.udif;

import io.vestige.evidence.Container;
import io.vestige.evidence.ContainerFormat;
import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostic;
import io.vestige.io.MalformedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Apple {@code .sparseimage}: a 4096-byte {@code sprs} header whose band array maps each band
 * stored in the file (at 4096 + i × band size) to a logical band; bands never written read as
 * zeros. Probe: {@code sprs} at offset 0. Reference: FORMATS.md §2.3, libmodi.
 */
public final class SparseImageFormat implements ContainerFormat {
    @Override
    public String name() {
        return "sparseimage";
    }

    @Override
    public boolean probe(EvidenceCandidate candidate) throws IOException {
        return !candidate.isDirectory() && candidate.size() >= SparseImageHeader.SIZE
                && SparseImageHeader.looksLike(candidate.head(4));
    }

    @Override
    public Container open(EvidenceCandidate candidate, OpenOptions options) throws IOException {
        Path path = candidate.path();
        String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        boolean host = UdifFormat.isHostFile(candidate);
        ByteSource file = host ? ByteSources.open(path) : candidate.source();
        try {
            SparseImageHeader h = SparseImageHeader.parse(file.readBytes(0, SparseImageHeader.SIZE));
            long bandBytes = Math.multiplyExact(h.sectorsPerBand(), 512L);
            long size = Math.multiplyExact(h.totalSectors(), 512L);
            List<Diagnostic> diags = new ArrayList<>();
            Map<Long, Long> map = new HashMap<>();
            for (int i = 0; i < h.bandIndexes().size(); i++) {
                long logical = h.bandIndexes().get(i);
                if (logical == 0) {
                    continue;
                }
                long fileOff = SparseImageHeader.SIZE + i * bandBytes;
                if (logical - 1 >= (size + bandBytes - 1) / bandBytes) {
                    diags.add(Diagnostic.warning(name, "sparseimage band array", 64 + 4L * i, "band index " + logical
                            + " lies beyond the image size; ignored"));
                    continue;
                }
                if (map.putIfAbsent(logical - 1, fileOff) != null) {
                    throw new MalformedException("sparseimage band array", 64 + 4L * i, "logical band " + logical
                            + " is stored twice");
                }
            }
            if (h.nextHeader() != 0) {
                diags.add(Diagnostic.warning(name, "sparseimage header", 32, "header field at 32 is "
                        + h.nextHeader() + " (possibly a further band table, which is not read)"));
            }
            diags.forEach(options.diagnostics()::add);
            ByteSource media = ByteSources.cached(new BandSource(file, name, size, bandBytes, map), 1 << 16, 256);
            Map<String, Object> details = new TreeMap<>();
            details.put("version", h.version());
            details.put("sectorsPerBand", h.sectorsPerBand());
            details.put("bandsStored", map.size());
            ContainerInfo info = new ContainerInfo("sparseimage", size, 512, List.of(name), Map.of(), Map.of(), details);
            return new MediaContainer(info, name, media, diags, host ? List.of(file) : List.of());
        } catch (IOException | RuntimeException e) {
            if (host) {
                file.close();
            }
            if (e instanceof ArithmeticException) {
                throw new MalformedException("sparseimage header", 8, "band geometry overflows", e);
            }
            throw e;
        }
    }

    /** Logical media from bands of a file; missing bands and bytes past the end of the file are zeros. */
    static final class BandSource extends BandedSource {
        private final ByteSource file;
        private final Map<Long, Long> bands;

        BandSource(ByteSource file, String name, long size, long bandBytes, Map<Long, Long> bands) {
            super(name, size, bandBytes);
            this.file = file;
            this.bands = bands;
        }

        @Override
        int readBand(long band, long in, ByteBuffer view) throws IOException {
            Long at = bands.get(band);
            // a short last band: what the file lacks reads as zeros
            return at == null ? 0 : readFully(file, at + in, view, Long.MAX_VALUE);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
