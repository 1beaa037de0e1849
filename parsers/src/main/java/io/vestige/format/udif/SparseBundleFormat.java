package io.vestige.format.udif;

import io.vestige.evidence.Container;
import io.vestige.evidence.ContainerFormat;
import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.OpenOptions;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.MalformedException;
import io.vestige.io.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Apple {@code .sparsebundle} folders: {@code Info.plist} (band-size, size,
 * {@code diskimage-bundle-type = com.apple.diskimage.sparsebundle}) and {@code bands/<hex>} files
 * named by the lower-case hex band number; a missing or short band reads as zeros. Claimed before
 * the generic folder format. Reference: FORMATS.md §2.3, libmodi §Sparse bundle. A bundle inside
 * evidence (a folder of a file system) opens with {@link #open(FileEntry, OpenOptions)}.
 */
public final class SparseBundleFormat implements ContainerFormat {
    static final String BUNDLE_TYPE = "com.apple.diskimage.sparsebundle";

    @Override
    public String name() {
        return "sparsebundle";
    }

    @Override
    public boolean probe(EvidenceCandidate candidate) throws IOException {
        if (!candidate.isDirectory()) {
            return false;
        }
        Path info = candidate.path().resolve("Info.plist");
        if (!Files.isRegularFile(info) || Files.size(info) > (1 << 20)) {
            return false;
        }
        byte[] b = Files.readAllBytes(info);
        return XmlPlist.indexOf(b, BUNDLE_TYPE.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) >= 0;
    }

    @Override
    public Container open(EvidenceCandidate candidate, OpenOptions options) throws IOException {
        Path dir = candidate.path();
        String name = dir.toAbsolutePath().normalize().getFileName() == null ? dir.toString()
                : dir.toAbsolutePath().normalize().getFileName().toString();
        Path infoPath = dir.resolve("Info.plist");
        options.limits().check("maxMetadataSize", Files.size(infoPath), "sparsebundle Info.plist", 0);
        byte[] info = Files.readAllBytes(infoPath);
        Path token = dir.resolve("token");
        byte[] tokenBytes = new byte[0];
        if (Files.isRegularFile(token)) {
            options.limits().check("maxMetadataSize", Files.size(token), "sparsebundle token", 0);
            tokenBytes = Files.readAllBytes(token);
        }
        Path bands = dir.resolve("bands");
        return open(name, info, tokenBytes, n -> {
            Path p = bands.resolve(Long.toHexString(n));
            return Files.isRegularFile(p) ? ByteSources.open(p) : null;
        }, options);
    }

    /**
     * Opens a sparse bundle that is a folder inside evidence (for example a {@code .sparsebundle} in a
     * user's home on an APFS volume): {@code Info.plist}, {@code token} and {@code bands/} are read
     * through the file system.
     */
    public static Container open(FileEntry bundle, OpenOptions options) throws IOException {
        if (!bundle.isDirectory()) {
            throw new MalformedException("sparsebundle", -1, bundle.path() + " is not a folder");
        }
        FileEntry info = child(bundle, "Info.plist");
        if (info == null || !info.isFile()) {
            throw new MalformedException("sparsebundle", -1, bundle.path() + " has no Info.plist");
        }
        options.limits().check("maxMetadataSize", info.size(), "sparsebundle Info.plist", 0);
        byte[] plist;
        try (ByteSource c = info.content()) {
            plist = c.readBytes(0, (int) c.size());
        }
        FileEntry token = child(bundle, "token");
        FileEntry bandsDir = child(bundle, "bands");
        java.util.Map<String, FileEntry> bandFiles = new java.util.HashMap<>();
        if (bandsDir != null && bandsDir.isDirectory()) {
            List<FileEntry> kids = bandsDir.children();
            options.limits().check("maxDirectoryEntries", kids.size(), "sparsebundle bands", -1);
            for (FileEntry e : kids) {
                bandFiles.put(e.name(), e);
            }
        }
        byte[] tokenBytes = new byte[0];
        if (token != null && token.isFile() && token.size() > 0) {
            options.limits().check("maxMetadataSize", token.size(), "sparsebundle token", 0);
            try (ByteSource c = token.content()) {
                tokenBytes = c.readBytes(0, (int) c.size());
            }
        }
        return open(bundle.name(), plist, tokenBytes, n -> {
            FileEntry e = bandFiles.get(Long.toHexString(n));
            return e != null && e.isFile() ? e.content() : null;
        }, options);
    }

    private static FileEntry child(FileEntry dir, String name) throws IOException {
        for (FileEntry e : dir.children()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** Opens band {@code n}, or returns {@code null} when the bundle has no such band. */
    @FunctionalInterface
    interface BandOpener {
        ByteSource open(long n) throws IOException;
    }

    private static Container open(String name, byte[] plist, byte[] token, BandOpener plainBands, OpenOptions options)
            throws IOException {
        Object root = XmlPlist.parse(plist, 0, "sparsebundle Info.plist", options.limits().maxTreeDepth());
        if (!(root instanceof Map<?, ?> m)) {
            throw new MalformedException("sparsebundle Info.plist", 0, "top level is not a dictionary");
        }
        if (!BUNDLE_TYPE.equals(m.get("diskimage-bundle-type"))) {
            throw new MalformedException("sparsebundle Info.plist", 0, "diskimage-bundle-type is "
                    + m.get("diskimage-bundle-type") + ", expected " + BUNDLE_TYPE);
        }
        long bandSize = XmlPlist.number(m.get("band-size"), -1);
        long size = XmlPlist.number(m.get("size"), -1);
        if (bandSize <= 0 || size < 0) {
            throw new MalformedException("sparsebundle Info.plist", 0, "band-size " + bandSize + " / size " + size + " invalid");
        }
        Map<String, Object> details = new TreeMap<>();
        BandOpener bands = plainBands;
        if (token.length > 0) {
            // Encrypted bundle: the token holds an encrcdsa v2 header; each band file is encrypted on
            // its own, block numbers (for the IV) restarting at 0 in every band, as sparsebundlefs reads them.
            if (!EncrcdsaHeader.looksLike(token)) {
                throw new UnsupportedFormatException("sparsebundle token", 0,
                        "token file is not an encrcdsa header; this kind of sparse bundle is not supported");
            }
            EncrcdsaHeader h = EncrcdsaHeader.parse(token);
            char[] pw = EncryptedDmgFormat.password(options);
            if (pw == null) {
                throw new DmgPasswordException("sparsebundle token", 0, "encrypted sparse bundle (encrcdsa v2, AES-"
                        + h.dataKeyBits() + "); supply --password or --password-file", true);
            }
            EncryptedDmgFormat.Keys keys = EncryptedDmgFormat.unwrap(h, pw);
            long bs = h.blockSize();
            if (bs < 16 || bs % 16 != 0 || bs > (1 << 24)) {
                throw MalformedException.expected("sparsebundle token", 52, "block size", "a multiple of 16 up to 16 MiB", bs);
            }
            bands = n -> {
                ByteSource raw = plainBands.open(n);
                if (raw == null) {
                    return null;
                }
                long whole = raw.size() / bs * bs; // a torn last block cannot be decrypted: it reads as zeros
                return new EncryptedDmgFormat.Decrypting(raw, 0, whole, (int) bs, keys, name + " band " + Long.toHexString(n));
            };
            Map<String, Object> enc = new java.util.LinkedHashMap<>();
            enc.put("scheme", "encrcdsa v2 (sparse bundle token)");
            enc.put("cipher", "AES-" + h.dataKeyBits() + "-CBC");
            enc.put("blockSize", bs);
            details.put("encryption", enc);
        }
        details.put("bandSize", bandSize);
        details.put("bundleBackingstoreVersion", XmlPlist.number(m.get("bundle-backingstore-version"), -1));
        ByteSource media = ByteSources.cached(new Bands(bands, name, size, bandSize), 1 << 16, 256);
        ContainerInfo info = new ContainerInfo("sparsebundle", size, 512, List.of(name), Map.of(), Map.of(), details);
        return new MediaContainer(info, name, media, List.of(), List.of(media));
    }

    /** Band files opened on demand; a few kept open (LRU). */
    static final class Bands extends BandedSource {
        private final BandOpener bands;
        private final Map<Long, ByteSource> open = new LinkedHashMap<>(16, 0.75f, true);
        private static final ByteSource MISSING = ByteSources.empty();

        Bands(BandOpener bands, String name, long size, long bandSize) {
            super(name, size, bandSize);
            this.bands = bands;
        }

        private ByteSource band(long n) throws IOException {
            synchronized (open) {
                ByteSource s = open.get(n);
                if (s != null) {
                    return s;
                }
                s = bands.open(n);
                if (s == null) {
                    s = MISSING;
                }
                open.put(n, s);
                if (open.size() > 32) {
                    var it = open.entrySet().iterator();
                    var eldest = it.next();
                    it.remove();
                    eldest.getValue().close();
                }
                return s;
            }
        }

        @Override
        int readBand(long band, long in, ByteBuffer view) throws IOException {
            // synchronized with eviction so that a band is not closed under a reader
            synchronized (open) {
                ByteSource s = band(band);
                return readFully(s, in, view, s.size());
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (open) {
                for (ByteSource s : open.values()) {
                    s.close();
                }
                open.clear();
            }
        }
    }
}
