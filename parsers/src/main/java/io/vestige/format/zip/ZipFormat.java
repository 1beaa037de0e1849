package io.vestige.format.zip;

import io.vestige.evidence.Container;
import io.vestige.evidence.LogicalContainer;
import io.vestige.evidence.ContainerFormat;
import io.vestige.evidence.ContainerInfo;
import io.vestige.evidence.EntryKind;
import io.vestige.evidence.EvidenceCandidate;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.FileTimes;
import io.vestige.evidence.OpenOptions;
import io.vestige.format.collection.CollectionFileSystem;
import io.vestige.format.collection.CollectionMember;
import io.vestige.format.collection.MemberSource;
import io.vestige.format.collection.StreamedSource;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.UnsupportedFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.zip.X000A_NTFS;
import org.apache.commons.compress.archivers.zip.X5455_ExtendedTimestamp;
import org.apache.commons.compress.archivers.zip.X7875_NewUnix;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Zip collections (Velociraptor offline collector, UAC with {@code -f zip}, zipped folders) opened
 * through their central directory (zip64 included) with Commons Compress, as a logical
 * {@link FileSystem} of type {@code zip}. Stored entries are slices of the file; compressed
 * entries are inflated on demand with a forward cursor (small ones cached whole), never more than
 * their declared size, so a zip bomb costs only what is read. Overlapping entries (a zip-bomb
 * construction) are reported. Times come from the extended-timestamp (0x5455) or NTFS (0x000a)
 * extra fields in UTC; a bare DOS time is local time of an unknown zone and is reported as if UTC
 * with an attribute saying so. Ownership comes from the Info-ZIP Unix extra field (0x7875).
 *
 * <p>Source: PKWARE APPNOTE.TXT 6.3.x (sections 4.3, 4.4, 4.5); Info-ZIP {@code proginfo/extrafld.txt}.
 */
public final class ZipFormat implements ContainerFormat {

    @Override
    public String name() {
        return "zip";
    }

    @Override
    public boolean probe(EvidenceCandidate candidate) throws IOException {
        if (candidate.isDirectory() || candidate.size() < 22) {
            return false;
        }
        byte[] h = candidate.head(4);
        if (h[0] == 'P' && h[1] == 'K' && ((h[2] == 3 && h[3] == 4) || (h[2] == 5 && h[3] == 6)
                || (h[2] == 7 && h[3] == 8))) {
            return true;
        }
        // a zip with a prefix (self-extractor): end-of-central-directory record near the end
        if (candidate.fileName().endsWith(".zip")) {
            byte[] t = candidate.tail(65_557);
            for (int i = t.length - 22; i >= 0; i--) {
                if (t[i] == 'P' && t[i + 1] == 'K' && t[i + 2] == 5 && t[i + 3] == 6) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public Container open(EvidenceCandidate candidate, OpenOptions options) throws IOException {
        Path file = candidate.path();
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        // the candidate closes its own handle after probing: a host file gets a handle of ours
        boolean own = Files.isRegularFile(file);
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
     * Opens a zip held in any byte source (e.g. an archive found inside other evidence).
     *
     * @param closeSource whether closing the container closes {@code src}
     */
    public static Container open(ByteSource src, boolean closeSource, EvidencePath ep, String name,
                                 OpenOptions options) throws IOException {
        Diagnostics diags = new Diagnostics();
        ZipFile zf = openZipFile(src);
        try {
            List<CollectionMember> members = index(zf, src, options.limits(), diags);
            EvidencePath fsPath = ep.then("zip", "");
            Map<String, Object> details = new TreeMap<>();
            details.put("members", (long) members.size());
            Closeable resources = () -> {
                zf.close();
                if (closeSource) {
                    src.close();
                }
            };
            CollectionFileSystem fs = new CollectionFileSystem("zip", name, fsPath, members, diags, options.limits(),
                    details, resources);
            details.put("layout", fs.info().get("layout"));
            details.put("layoutPrefix", fs.info().get("layoutPrefix"));
            ContainerInfo info = new ContainerInfo("zip", -1, -1, List.of(name), Map.of(), Map.of(), details);
            return new LogicalContainer(info, ep, fs, diags, fs);
        } catch (IOException | RuntimeException e) {
            zf.close();
            throw e;
        }
    }

    static ZipFile openZipFile(ByteSource src) throws ParseException {
        try {
            return ZipFile.builder().setSeekableByteChannel(new SourceChannel(src))
                    .setUseUnicodeExtraFields(true).get();
        } catch (IOException | RuntimeException e) {
            throw new MalformedException("zip central directory", -1, "cannot read the zip: " + e.getMessage(), e);
        }
    }

    private static List<CollectionMember> index(ZipFile zf, ByteSource src, ParseLimits limits, Diagnostics diags) {
        List<CollectionMember> out = new ArrayList<>();
        List<long[]> ranges = new ArrayList<>(); // start, end, member index
        MemberSource.SmallCache cache = MemberSource.SmallCache.defaults();
        String description = src.describe();
        Enumeration<ZipArchiveEntry> en = zf.getEntries();
        while (en.hasMoreElements()) {
            ZipArchiveEntry e = en.nextElement();
            if (out.size() >= limits.maxArchiveMembers()) {
                diags.add(Diagnostic.error(description, "zip", -1, "more than maxArchiveMembers="
                        + limits.maxArchiveMembers() + " entries; the rest are not listed"
                        + " (raise it with --limit maxArchiveMembers=N if the archive is genuine)"));
                break;
            }
            try {
                out.add(member(zf, e, src, cache, ranges, out.size(), diags));
            } catch (IOException | RuntimeException ex) {
                diags.add(Diagnostic.error(description, "zip entry", e.getLocalHeaderOffset(),
                        "entry '" + e.getName() + "' is unreadable and not listed: " + ex.getMessage()));
            }
        }
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        long prevEnd = -1;
        int prev = -1;
        int reported = 0;
        for (long[] r : ranges) {
            if (prev >= 0 && r[0] < prevEnd && reported++ < 100) {
                diags.add(Diagnostic.warning(description, "zip entry", r[0], "entry '" + out.get((int) r[2]).member()
                        + "' overlaps entry '" + out.get(prev).member() + "' (overlapping entries are a zip-bomb"
                        + " construction or damage)"));
            }
            if (r[1] > prevEnd) {
                prevEnd = r[1];
                prev = (int) r[2];
            }
        }
        return out;
    }

    private static CollectionMember member(ZipFile zf, ZipArchiveEntry e, ByteSource src,
                                           MemberSource.SmallCache cache, List<long[]> ranges, int index,
                                           Diagnostics diags) throws IOException {
        String name = e.getName();
        Map<String, Object> attrs = new TreeMap<>();
        attrs.put("method", e.getMethod());
        attrs.put("compressedSize", e.getCompressedSize());
        long lho = e.getLocalHeaderOffset();
        long dataOffset = e.getDataOffset();
        if (dataOffset >= 0) {
            attrs.put("dataOffset", dataOffset);
            long end = dataOffset + Math.max(0, e.getCompressedSize());
            ranges.add(new long[]{lho, end, index});
            if (e.getCompressedSize() < 0 || end > src.size()) {
                diags.add(Diagnostic.error(src.describe(), "zip entry", lho, "entry '" + name + "' data ["
                        + dataOffset + ", +" + e.getCompressedSize() + ") lies outside the file of " + src.size()
                        + " bytes"));
            }
        }
        int unixMode = e.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? e.getUnixMode() : 0;
        EntryKind kind;
        if (e.isDirectory()) {
            kind = EntryKind.DIRECTORY;
        } else if (unixMode != 0 && (unixMode & 0170000) == 0120000) {
            kind = EntryKind.SYMLINK;
        } else {
            kind = EntryKind.FILE;
        }
        int mode = unixMode != 0 ? unixMode : -1;
        long uid = -1;
        long gid = -1;
        if (e.getExtraField(new org.apache.commons.compress.archivers.zip.ZipShort(0x7875)) instanceof X7875_NewUnix u) {
            uid = u.getUID();
            gid = u.getGID();
        }
        FileTimes times = times(e, attrs);
        boolean encrypted = e.getGeneralPurposeBit().usesEncryption();
        if (encrypted) {
            attrs.put("encrypted", true);
        }
        String link = null;
        if (kind == EntryKind.SYMLINK) {
            if (e.getSize() > 4096 || encrypted || !zf.canReadEntryData(e)) {
                diags.add(Diagnostic.warning(src.describe(), "zip entry", lho, "symlink entry '" + name
                        + "' has an unreadable target"));
            } else {
                try (InputStream in = zf.getInputStream(e)) {
                    link = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                }
            }
        }
        long size = Math.max(0, e.getSize());
        CollectionMember.Content content = null;
        if (kind == EntryKind.FILE) {
            boolean readable = zf.canReadEntryData(e) && !encrypted;
            String desc = src.describe() + ":" + name;
            long compressed = e.getCompressedSize();
            content = () -> {
                if (!readable) {
                    throw new UnsupportedFormatException("zip entry", lho, "entry '" + name + "' uses "
                            + (encrypted ? "encryption" : "compression method " + e.getMethod())
                            + ", which is not read");
                }
                if (size == 0) {
                    return ByteSources.empty();
                }
                if (e.getMethod() == ZipArchiveEntry.STORED && dataOffset >= 0 && compressed == size
                        && dataOffset + size <= src.size()) {
                    return ByteSources.slice(src, dataOffset, size);
                }
                StreamedSource s = new StreamedSource(() -> zf.getInputStream(e), size, desc, 1);
                return new MemberSource(s, 0, size, cache, index, desc);
            };
        }
        return new CollectionMember(name, kind, kind == EntryKind.DIRECTORY ? 0 : size, mode, uid, gid, null, null,
                times, link, Map.of(), lho, content, attrs);
    }

    private static FileTimes times(ZipArchiveEntry e, Map<String, Object> attrs) {
        Instant m = null;
        Instant a = null;
        Instant c = null;
        if (e.getExtraField(X5455_ExtendedTimestamp.HEADER_ID) instanceof X5455_ExtendedTimestamp x) {
            m = x.isBit0_modifyTimePresent() && x.getModifyFileTime() != null ? x.getModifyFileTime().toInstant() : null;
            a = x.isBit1_accessTimePresent() && x.getAccessFileTime() != null ? x.getAccessFileTime().toInstant() : null;
            c = x.isBit2_createTimePresent() && x.getCreateFileTime() != null ? x.getCreateFileTime().toInstant() : null;
            attrs.put("timeSource", "extended timestamp (0x5455)");
        } else if (e.getExtraField(X000A_NTFS.HEADER_ID) instanceof X000A_NTFS n) {
            m = n.getModifyFileTime() == null ? null : n.getModifyFileTime().toInstant();
            a = n.getAccessFileTime() == null ? null : n.getAccessFileTime().toInstant();
            c = n.getCreateFileTime() == null ? null : n.getCreateFileTime().toInstant();
            attrs.put("timeSource", "NTFS (0x000a)");
        }
        if (m == null && e.getTime() != -1) {
            // Commons turns the DOS fields into an instant with this JVM's zone; undo that to get the
            // fields back and state them as UTC, so output does not depend on the examiner's zone.
            LocalDateTime fields = LocalDateTime.ofInstant(Instant.ofEpochMilli(e.getTime()), ZoneId.systemDefault());
            m = fields.toInstant(ZoneOffset.UTC);
            attrs.put("timeSource", "DOS date/time (local time of the collecting host, zone unknown; shown as UTC)");
        }
        return new FileTimes(c, m, null, a, null);
    }

    /** A read-only {@link SeekableByteChannel} over a {@link ByteSource}, for Commons Compress. */
    static final class SourceChannel implements SeekableByteChannel {
        private final ByteSource src;
        private long pos;
        private boolean open = true;

        SourceChannel(ByteSource src) {
            this.src = src;
        }

        @Override
        public synchronized int read(ByteBuffer dst) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            if (pos >= src.size()) {
                return -1;
            }
            int n = src.read(pos, dst);
            if (n > 0) {
                pos += n;
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public synchronized long position() {
            return pos;
        }

        @Override
        public synchronized SeekableByteChannel position(long newPosition) {
            if (newPosition < 0) {
                throw new IllegalArgumentException("negative position");
            }
            pos = newPosition;
            return this;
        }

        @Override
        public long size() {
            return src.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            // the source belongs to the container
            open = false;
        }
    }
}
