package io.vestige.format.tar;

import io.vestige.evidence.Container;
import io.vestige.evidence.LogicalContainer;
import io.vestige.evidence.ContainerFormat;
import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenOptions;
import io.vestige.format.collection.CollectionFileSystem;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tar collections (ustar, GNU, pax, v7), plain or compressed with gzip, bzip2, xz or zstd, opened as
 * a logical {@link FileSystem} of type {@code tar}. The probe accepts a ustar magic at 257 or a
 * valid v7 header checksum, and for compressed files decompresses the first record to check it.
 * Magic collision: FSEvents files are gzip too; their decompressed head is not a tar header, so
 * the probe leaves them alone.
 */
public final class TarFormat implements ContainerFormat {

    @Override
    public String name() {
        return "tar";
    }

    @Override
    public boolean probe(EvidenceCandidate candidate) throws IOException {
        if (candidate.isDirectory() || candidate.size() < 512 && TarCompression.detect(candidate.head(8))
                == TarCompression.NONE) {
            return false;
        }
        ByteSource src = candidate.source();
        TarCompression c = TarCompression.detect(candidate.head(8));
        if (c == TarCompression.NONE) {
            return TarHeader.looksLikeHeader(candidate.head(512));
        }
        byte[] head = new byte[512];
        int got = 0;
        try (InputStream in = c.decompress(ByteSources.stream(src, 0, src.size()))) {
            while (got < head.length) {
                int n = in.read(head, got, head.length - got);
                if (n < 0) {
                    break;
                }
                got += n;
            }
        } catch (io.vestige.io.UnsupportedFormatException e) {
            // zstd without its native library: claim .tar.zst by name so that open() explains why
            String n = candidate.fileName();
            return n.endsWith(".tar.zst") || n.endsWith(".tzst") || n.endsWith(".tar.zstd");
        } catch (IOException | RuntimeException e) {
            // damaged before the first record: claim it by name so that open() says what is wrong
            return got < head.length && looksLikeTarName(candidate.fileName());
        }
        if (got < head.length) {
            return looksLikeTarName(candidate.fileName());
        }
        return TarHeader.looksLikeHeader(head);
    }

    private static boolean looksLikeTarName(String n) {
        return n.contains(".tar.") || n.endsWith(".tgz") || n.endsWith(".tbz") || n.endsWith(".tbz2")
                || n.endsWith(".txz") || n.endsWith(".tzst");
    }

    @Override
    public Container open(EvidenceCandidate candidate, OpenOptions options) throws IOException {
        Path file = candidate.path();
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        // the candidate closes its own handle after probing: a host file gets a handle of ours
        boolean own = java.nio.file.Files.isRegularFile(file);
        ByteSource src = own ? ByteSources.open(file) : candidate.source();
        try {
            return open(src, own, EvidencePath.ofFile(name), name, options);
        } catch (IOException | RuntimeException e) {
            if (own) {
                src.close();
            }
            throw e;
        }
    }

    /**
     * Opens a tar held in any byte source (e.g. an archive found inside other evidence).
     *
     * @param closeSource whether closing the container closes {@code src}
     */
    public static Container open(ByteSource src, boolean closeSource, EvidencePath ep, String name,
                                 OpenOptions options) throws IOException {
        Diagnostics diags = new Diagnostics();
        TarArchive archive = TarArchive.open(src, options.limits(), diags);
        EvidencePath fsPath = ep.then("tar", archive.compression() == TarCompression.NONE ? ""
                : archive.compression().label());
        Map<String, Object> details = new TreeMap<>();
        details.put("compression", archive.compression().label());
        details.put("members", (long) archive.members().size());
        details.put("tarBytes", archive.tarSize());
        details.put("complete", archive.complete());
        java.io.Closeable resources = () -> {
            archive.close();
            if (closeSource) {
                src.close();
            }
        };
        CollectionFileSystem fs = new CollectionFileSystem("tar", name, fsPath, archive.members(), diags,
                options.limits(), details, resources);
        details.put("layout", fs.info().get("layout"));
        details.put("layoutPrefix", fs.info().get("layoutPrefix"));
        ContainerInfo info = new ContainerInfo("tar", -1, -1, List.of(name), Map.of(), Map.of(), details);
        return new LogicalContainer(info, ep, fs, diags, fs);
    }
}
