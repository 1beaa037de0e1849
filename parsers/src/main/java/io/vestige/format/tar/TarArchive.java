package io.vestige.format.tar;

import io.vestige.evidence.EntryKind;
import io.vestige.evidence.FileTimes;
import io.vestige.format.collection.CollectionMember;
import io.vestige.format.collection.MemberSource;
import io.vestige.format.collection.StreamedSource;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseException;
import io.vestige.io.ParseLimits;
import io.vestige.io.UnsupportedFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tar archive (ustar, GNU, pax, v7; plain or gzip/bzip2/xz/zstd-compressed) indexed in one
 * streaming pass. The index keeps, per member, its names, metadata, pax times with nanoseconds,
 * {@code SCHILY.xattr.*} / {@code LIBARCHIVE.xattr.*} extended attributes and the offset of its
 * data in the (decompressed) stream; no member data is held. Damage (truncation, a bad header, a
 * size larger than what remains) ends the index with an ERROR diagnostic that names the member
 * and offset; members read before it stay usable.
 *
 * <p>Content of an uncompressed archive is a slice of the file. Content of a compressed archive
 * is read again from the decompressor through a {@link StreamedSource}: reading members in
 * archive order is one pass, going backwards restarts decompression from the start. Members up to
 * {@link MemberSource.SmallCache#DEFAULT_THRESHOLD} bytes are cached whole on first read (64 MiB
 * in total), so memory stays bounded whatever the archive size.
 *
 * <p>Sources: POSIX.1-2017 {@code pax} (ustar and pax interchange formats); GNU tar manual
 * "Basic Tar Format" (GNU long names {@code L}/{@code K}, old sparse {@code S}); libarchive
 * {@code tar(5)} ({@code LIBARCHIVE.xattr.*}, {@code LIBARCHIVE.creationtime}).
 */
public final class TarArchive implements Closeable {
    private static final Pattern PAX_TIME = Pattern.compile("(-?)(\\d{1,19})(?:\\.(\\d*))?");
    /** Extension records of an old GNU sparse header hold 21 map entries each. */
    private static final int SPARSE_ENTRIES_PER_EXTENSION = 21;

    private final ByteSource source;
    private final TarCompression compression;
    private final List<CollectionMember> members = new ArrayList<>();
    private final Diagnostics diagnostics;
    private final ParseLimits limits;
    private final String description;
    private long tarSize;
    private boolean complete;
    private ByteSource whole;
    private StreamedSource streamed;
    private final MemberSource.SmallCache cache = MemberSource.SmallCache.defaults();

    private TarArchive(ByteSource source, TarCompression compression, ParseLimits limits, Diagnostics diagnostics) {
        this.source = source;
        this.compression = compression;
        this.limits = limits;
        this.diagnostics = diagnostics;
        this.description = source.describe();
    }

    /**
     * Indexes the archive in {@code source} (which stays owned by the caller). Recoverable damage
     * goes to {@code diagnostics}; an input that is not a tar at all raises a {@link ParseException}.
     */
    public static TarArchive open(ByteSource source, ParseLimits limits, Diagnostics diagnostics) throws IOException {
        TarCompression c = TarCompression.detect(source.readAtMost(0, 8));
        TarArchive a = new TarArchive(source, c, limits, diagnostics);
        a.index();
        return a;
    }

    public TarCompression compression() {
        return compression;
    }

    /** Members in archive order (duplicates included). */
    public List<CollectionMember> members() {
        return List.copyOf(members);
    }

    /** Bytes of tar stream read while indexing (the decompressed size for compressed archives). */
    public long tarSize() {
        return tarSize;
    }

    /** True when the end-of-archive marker was reached without damage. */
    public boolean complete() {
        return complete;
    }

    /** Restarts of the decompressor caused by backward reads (0 for uncompressed archives). */
    public long restarts() {
        return streamed == null ? 0 : streamed.restarts();
    }

    @Override
    public void close() {
        if (streamed != null) {
            streamed.close();
        }
    }

    /** Data ranges of the small members of a compressed archive, in archive order, for {@link Prefetcher}. */
    private final List<long[]> smallRanges = new ArrayList<>();

    /**
     * Keeps small members that a forward skip passes over whole, so that reading files in path
     * order rather than archive order does not restart decompression for each one.
     */
    private final class Prefetcher implements StreamedSource.SkipListener {
        private int index;         // member being gathered in smallRanges
        private byte[] partial;
        private int filled;

        @Override
        public void skipped(long offset, byte[] buf, int len) {
            long end = offset + len;
            long pos = offset;
            while (pos < end) {
                if (partial == null || smallRanges.get(index)[0] + filled != pos) {
                    partial = null;
                    index = find(pos);
                    if (index < 0) {
                        return;
                    }
                    long[] r = smallRanges.get(index);
                    if (r[0] < pos) {
                        // entered mid-member: this one cannot be completed, try the next
                        if (index + 1 >= smallRanges.size()) {
                            return;
                        }
                        index++;
                        r = smallRanges.get(index);
                    }
                    if (r[0] >= end) {
                        return;
                    }
                    pos = r[0];
                    if (cache.contains(r[0])) {
                        pos = r[0] + r[1];
                        continue;
                    }
                    partial = new byte[(int) r[1]];
                    filled = 0;
                }
                long[] r = smallRanges.get(index);
                int n = (int) Math.min(end - pos, r[1] - filled);
                System.arraycopy(buf, (int) (pos - offset), partial, filled, n);
                filled += n;
                pos += n;
                if (filled == r[1]) {
                    cache.put(r[0], partial);
                    partial = null;
                }
            }
        }

        /** Index of the first small member whose data ends after {@code pos}, or -1. */
        private int find(long pos) {
            int lo = 0;
            int hi = smallRanges.size() - 1;
            int ans = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long[] r = smallRanges.get(mid);
                if (r[0] + r[1] > pos) {
                    ans = mid;
                    hi = mid - 1;
                } else {
                    lo = mid + 1;
                }
            }
            return ans;
        }
    }

    // ------------------------------------------------------------------------------------ index

    private InputStream openTarStream() throws IOException {
        try {
            return compression.decompress(ByteSources.stream(source, 0, source.size()));
        } catch (ParseException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // some decompressors read their first block while being constructed
            throw new io.vestige.io.TruncatedException("tar (" + compression.label() + ")", 0,
                    "decompression failed before the first tar header: " + io.vestige.io.ParseException.describe(e));
        }
    }

    private void index() throws IOException {
        TarInput in;
        InputStream stream = null;
        if (compression == TarCompression.NONE) {
            in = new TarInput(source, null);
        } else {
            stream = openTarStream();
            in = new TarInput(null, stream);
        }
        try {
            indexFrom(in);
        } finally {
            if (stream != null) {
                stream.close();
            }
        }
        tarSize = compression == TarCompression.NONE ? source.size() : in.position();
        if (compression == TarCompression.NONE) {
            whole = source;
        } else {
            streamed = new StreamedSource(this::openTarStream, tarSize, description + " (" + compression.label()
                    + ")", 4);
            streamed.onSkip(new Prefetcher());
            whole = streamed;
        }
    }

    private void error(long offset, String message) {
        diagnostics.add(Diagnostic.error(description, "tar", offset, message));
    }

    private void warning(long offset, String message) {
        diagnostics.add(Diagnostic.warning(description, "tar", offset, message));
    }

    private void indexFrom(TarInput in) throws IOException {
        byte[] block = new byte[TarHeader.BLOCK];
        Map<String, byte[]> global = new HashMap<>();
        Map<String, byte[]> pax = null;
        String longName = null;
        String longLink = null;
        long firstHeader = -1;
        while (true) {
            long hdrOff = in.position();
            int n = in.readBlock(block);
            if (n == 0) {
                if (in.failure() != null && members.isEmpty() && hdrOff == 0) {
                    throw new io.vestige.io.TruncatedException("tar (" + compression.label() + ")", 0,
                            "decompression failed before the first tar header: " + io.vestige.io.ParseException.describe(in.failure()));
                }
                if (in.failure() != null) {
                    error(hdrOff, "decompression failed at offset " + hdrOff + " of the tar stream: "
                            + in.failure().getMessage() + "; members before it are listed");
                } else if (members.isEmpty() && hdrOff == 0) {
                    throw new io.vestige.io.TruncatedException("tar", 0, "empty archive");
                } else {
                    diagnostics.add(Diagnostic.info(description, "tar", hdrOff,
                            "archive ends without the end-of-archive marker"));
                    complete = true;
                }
                return;
            }
            if (n < TarHeader.BLOCK) {
                error(hdrOff, "archive truncated inside a header at offset " + hdrOff + " (" + n + " of 512 bytes)"
                        + failureText(in));
                return;
            }
            if (TarHeader.isZeroBlock(block)) {
                complete = pax == null && longName == null && longLink == null;
                if (!complete) {
                    error(hdrOff, "archive ends after an extended header without its member");
                }
                return;
            }
            if (!TarHeader.checksumOk(block)) {
                if (hdrOff == 0 && members.isEmpty()) {
                    throw new io.vestige.io.BadMagicException("tar header", 0, "ustar header with valid checksum",
                            "invalid header");
                }
                long skipped = resync(in, block);
                if (skipped < 0) {
                    error(hdrOff, "bad tar header checksum at offset " + hdrOff
                            + "; no further header found (a member before it may have a wrong size)");
                    return;
                }
                error(hdrOff, "bad tar header checksum at offset " + hdrOff + "; skipped " + skipped
                        + " bytes to the next header at offset " + (hdrOff + skipped)
                        + " (a member before it may have a wrong size)");
                hdrOff += skipped;
                pax = null;
                longName = null;
                longLink = null;
                firstHeader = -1;
            }
            TarHeader h;
            try {
                h = TarHeader.parse(block, hdrOff);
            } catch (ParseException e) {
                error(hdrOff, "unreadable tar header at offset " + hdrOff + ": " + io.vestige.io.ParseException.describe(e));
                return;
            }
            if (firstHeader < 0) {
                firstHeader = hdrOff;
            }
            char t = h.typeflag();
            switch (t) {
                case 'x', 'g', 'X' -> {
                    byte[] data = readMeta(in, h, "maxMetadataSize", "pax extended header");
                    if (data == null) {
                        return;
                    }
                    Map<String, byte[]> rec = parsePax(data, hdrOff);
                    if (t == 'g') {
                        global.putAll(rec);
                        firstHeader = -1;
                    } else {
                        if (pax == null) {
                            pax = new LinkedHashMap<>();
                        }
                        pax.putAll(rec);
                    }
                    continue;
                }
                case 'L', 'K' -> {
                    byte[] data = readMeta(in, h, "maxNameLength", "GNU long " + (t == 'L' ? "name" : "link"));
                    if (data == null) {
                        return;
                    }
                    int len = 0;
                    while (len < data.length && data[len] != 0) {
                        len++;
                    }
                    String s = new String(data, 0, len, StandardCharsets.UTF_8);
                    if (t == 'L') {
                        longName = s;
                    } else {
                        longLink = s;
                    }
                    continue;
                }
                case 'V' -> {
                    diagnostics.add(Diagnostic.info(description, "tar", hdrOff, "volume label '" + h.name() + "'"));
                    long want = h.size() + padding(h.size());
                    if (in.skip(want) < want) {
                        error(hdrOff, "archive truncated in volume label at offset " + hdrOff + failureText(in));
                        return;
                    }
                    firstHeader = -1;
                    continue;
                }
                default -> {
                    // a member
                }
            }
            if (members.size() >= limits.maxArchiveMembers()) {
                error(hdrOff, "more than maxArchiveMembers=" + limits.maxArchiveMembers()
                        + " members; indexing stopped at offset " + hdrOff
                        + " (raise it with --limit maxArchiveMembers=N if the archive is genuine)");
                return;
            }
            Map<String, byte[]> p = new HashMap<>(global);
            if (pax != null) {
                p.putAll(pax);
            }
            boolean ok = member(in, h, firstHeader, p, longName, longLink);
            pax = null;
            longName = null;
            longLink = null;
            firstHeader = -1;
            if (!ok) {
                return;
            }
        }
    }

    private static String failureText(TarInput in) {
        return in.failure() == null ? "" : " (decompression failed: " + in.failure().getMessage() + ")";
    }

    /** Scans forward, block by block, for the next block that looks like a ustar header. */
    private long resync(TarInput in, byte[] block) throws IOException {
        long start = in.position() - TarHeader.BLOCK;
        while (true) {
            int n = in.readBlock(block);
            if (n < TarHeader.BLOCK) {
                return -1;
            }
            if (block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a'
                    && block[261] == 'r' && TarHeader.looksLikeHeader(block)) {
                return in.position() - TarHeader.BLOCK - start;
            }
        }
    }

    /** Reads a metadata member's data (pax header, GNU long name), bounded by a limit. */
    private byte[] readMeta(TarInput in, TarHeader h, String limit, String what) throws IOException {
        long size = h.size();
        if (size > limits.get(limit)) {
            error(h.offset(), what + " at offset " + h.offset() + " declares " + size + " bytes, over " + limit
                    + "=" + limits.get(limit) + "; indexing stopped");
            return null;
        }
        byte[] data = new byte[(int) size];
        int got = in.readFully(data, 0, data.length);
        if (got < data.length) {
            error(h.offset(), "archive truncated in " + what + " at offset " + h.offset() + " (" + got + " of " + size
                    + " bytes)" + failureText(in));
            return null;
        }
        long pad = padding(size);
        if (in.skip(pad) < pad) {
            error(h.offset(), "archive truncated after " + what + " at offset " + h.offset() + failureText(in));
            return null;
        }
        return data;
    }

    private static long padding(long size) {
        return (TarHeader.BLOCK - size % TarHeader.BLOCK) % TarHeader.BLOCK;
    }

    /** Parses pax records {@code "<len> <key>=<value>\n"}; values stay bytes (xattrs are binary). */
    private Map<String, byte[]> parsePax(byte[] data, long offset) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        int i = 0;
        while (i < data.length) {
            if (data[i] == 0) {
                break; // some writers pad the extended header with NULs
            }
            int j = i;
            long len = 0;
            while (j < data.length && data[j] >= '0' && data[j] <= '9' && j - i < 10) {
                len = len * 10 + (data[j] - '0');
                j++;
            }
            if (j == i || j >= data.length || data[j] != ' ' || len < 5 || len > data.length - i) {
                warning(offset, "malformed pax record at byte " + i + " of the extended header at offset " + offset
                        + "; rest ignored");
                break;
            }
            int end = (int) (i + len); // exclusive; data[end-1] must be '\n'
            int eq = -1;
            for (int k = j + 1; k < end; k++) {
                if (data[k] == '=') {
                    eq = k;
                    break;
                }
            }
            if (eq < 0 || data[end - 1] != '\n') {
                warning(offset, "malformed pax record at byte " + i + " of the extended header at offset " + offset
                        + "; rest ignored");
                break;
            }
            String key = new String(data, j + 1, eq - j - 1, StandardCharsets.UTF_8);
            byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, end - 1);
            if (value.length == 0) {
                out.remove(key); // an empty value deletes the keyword (pax semantics)
                out.put(key, null);
            } else {
                out.put(key, value);
            }
            i = end;
        }
        return out;
    }

    private static String paxString(Map<String, byte[]> p, String key) {
        byte[] v = p.get(key);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    private Long paxLong(Map<String, byte[]> p, String key, long offset) {
        String s = paxString(p, key);
        if (s == null) {
            return null;
        }
        try {
            long v = Long.parseLong(s.trim());
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException e) {
            warning(offset, "pax " + key + "='" + s + "' is not a number; ignored");
            return null;
        }
    }

    /** A pax time: decimal seconds since 1970 with an optional fraction (nanoseconds kept, finer digits dropped). */
    Instant paxTime(Map<String, byte[]> p, String key, long offset) {
        String s = paxString(p, key);
        if (s == null) {
            return null;
        }
        Matcher m = PAX_TIME.matcher(s.trim());
        if (!m.matches()) {
            warning(offset, "pax " + key + "='" + s + "' is not a time; ignored");
            return null;
        }
        try {
            long sec = Long.parseLong(m.group(2));
            String frac = m.group(3) == null ? "" : m.group(3);
            frac = (frac + "000000000").substring(0, 9);
            long nanos = Long.parseLong(frac);
            boolean neg = !m.group(1).isEmpty();
            return neg ? Instant.ofEpochSecond(-sec, -nanos) : Instant.ofEpochSecond(sec, nanos);
        } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
            warning(offset, "pax " + key + "='" + s + "' is out of range; ignored");
            return null;
        }
    }

    private static EntryKind kindOf(char t, String name) {
        return switch (t) {
            case '1' -> EntryKind.HARDLINK;
            case '2' -> EntryKind.SYMLINK;
            case '3' -> EntryKind.CHAR_DEVICE;
            case '4' -> EntryKind.BLOCK_DEVICE;
            case '5', 'D' -> EntryKind.DIRECTORY;
            case '6' -> EntryKind.FIFO;
            case 'M' -> EntryKind.OTHER;
            // v7 archives mark directories only by the trailing slash
            case '0', '\0' -> name.endsWith("/") ? EntryKind.DIRECTORY : EntryKind.FILE;
            // POSIX: unknown type flags are read as regular files
            default -> EntryKind.FILE;
        };
    }

    private static int typeBits(EntryKind k) {
        return switch (k) {
            case FILE, HARDLINK -> 0100000;
            case DIRECTORY -> 0040000;
            case SYMLINK -> 0120000;
            case CHAR_DEVICE -> 0020000;
            case BLOCK_DEVICE -> 0060000;
            case FIFO -> 0010000;
            default -> 0;
        };
    }

    /** Adds one member to the index and skips its data. Returns false when indexing must stop. */
    private boolean member(TarInput in, TarHeader h, long firstHeader, Map<String, byte[]> p, String longName,
                           String longLink) throws IOException {
        char t = h.typeflag();
        String name = h.name();
        if (longName != null) {
            name = longName;
        }
        String paxPath = paxString(p, "path");
        if (paxPath != null) {
            name = paxPath;
        }
        String sparseName = paxString(p, "GNU.sparse.name");
        if (sparseName != null) {
            name = sparseName;
        }
        if (name.length() > limits.maxNameLength()) {
            error(h.offset(), "member name at offset " + h.offset() + " is longer than maxNameLength; indexing stopped");
            return false;
        }
        String link = h.linkName();
        if (longLink != null) {
            link = longLink;
        }
        String paxLink = paxString(p, "linkpath");
        if (paxLink != null) {
            link = paxLink;
        }
        EntryKind kind = kindOf(t, name);
        long stored = h.size();
        Long paxSize = paxLong(p, "size", h.offset());
        if (paxSize != null) {
            stored = paxSize;
        }
        boolean hasData = !(t == '1' || t == '2' || t == '5' || t == '3' || t == '4' || t == '6');
        if (!hasData) {
            stored = 0;
        }
        Map<String, Object> attrs = new TreeMap<>();
        boolean paxUsed = !p.isEmpty();
        attrs.put("format", h.format() + (paxUsed ? "+pax" : ""));
        attrs.put("typeflag", t == 0 ? "\\0" : String.valueOf(t));
        long logical = stored;
        boolean sparse = false;
        long[] sparseMap = null;
        if (t == 'S') {
            sparse = true;
            logical = h.realSize();
            sparseMap = h.sparseMap();
            if (h.extended()) {
                sparseMap = readSparseExtensions(in, h);
                if (sparseMap == null) {
                    return false;
                }
            }
        }
        Long sparseReal = paxLong(p, "GNU.sparse.realsize", h.offset());
        if (sparseReal == null) {
            sparseReal = paxLong(p, "GNU.sparse.size", h.offset());
        }
        if (sparseReal != null) {
            sparse = true;
            logical = sparseReal;
        }
        if (sparse) {
            attrs.put("sparse", true);
            attrs.put("storedBytes", stored);
        }
        if (t == '3' || t == '4') {
            attrs.put("devMajor", h.devMajor());
            attrs.put("devMinor", h.devMinor());
        }
        String fflags = paxString(p, "SCHILY.fflags");
        if (fflags != null) {
            attrs.put("fflags", fflags);
        }
        long uid = h.uid();
        long gid = h.gid();
        Long pu = paxLong(p, "uid", h.offset());
        Long pg = paxLong(p, "gid", h.offset());
        if (pu != null) {
            uid = pu;
        }
        if (pg != null) {
            gid = pg;
        }
        String uname = paxString(p, "uname") != null ? paxString(p, "uname") : h.uname();
        String gname = paxString(p, "gname") != null ? paxString(p, "gname") : h.gname();
        Instant mtime = paxTime(p, "mtime", h.offset());
        if (mtime == null) {
            mtime = Instant.ofEpochSecond(h.mtime());
        }
        Instant atime = paxTime(p, "atime", h.offset());
        if (atime == null && h.gnuAtime() != null) {
            atime = Instant.ofEpochSecond(h.gnuAtime());
        }
        Instant ctime = paxTime(p, "ctime", h.offset());
        if (ctime == null && h.gnuCtime() != null) {
            ctime = Instant.ofEpochSecond(h.gnuCtime());
        }
        Instant birth = paxTime(p, "LIBARCHIVE.creationtime", h.offset());
        Map<String, byte[]> xattrs = xattrs(p, h.offset());
        int mode = (int) (h.mode() & 07777) | typeBits(kind);
        long dataOffset = in.position();
        if (sparse && t != 'S') {
            String major = paxString(p, "GNU.sparse.major");
            String map01 = paxString(p, "GNU.sparse.map");
            if ("1".equals(major) && stored > 0) {
                long[] m = readPaxSparseMap(in, h, stored);
                if (m == null) {
                    warning(h.offset(), "sparse map of member '" + name + "' is malformed; content not reconstructed");
                    error(h.offset(), "indexing stopped after the unreadable sparse map of member '" + name + "'");
                    return false;
                }
                long mapBytes = m[m.length - 1];
                sparseMap = java.util.Arrays.copyOf(m, m.length - 1);
                stored -= mapBytes;
                dataOffset = in.position();
            } else if (map01 != null) {
                sparseMap = parseSparseMap01(map01);
            }
        }
        attrs.put("dataOffset", dataOffset);

        // the member's data: skip it, noting how much is really there
        long available = stored;
        boolean stop = false;
        if (stored > 0) {
            long skipped = in.skip(stored);
            if (skipped < stored) {
                available = skipped;
                stop = true;
                error(h.offset(), "archive truncated in member '" + name + "' at offset " + (dataOffset + skipped)
                        + ": header @ " + h.offset() + " declares " + stored + " bytes of data from offset " + dataOffset
                        + ", only " + skipped + " present" + failureText(in));
            } else {
                long pad = padding(stored);
                long sp = in.skip(pad);
                if (sp < pad) {
                    stop = true;
                    if (in.failure() != null || sp > 0) {
                        error(h.offset(), "archive truncated in the padding after member '" + name + "' at offset "
                                + (dataOffset + stored + sp) + failureText(in));
                    } else {
                        diagnostics.add(Diagnostic.info(description, "tar", dataOffset + stored,
                                "archive ends after member '" + name + "' without padding or end-of-archive marker"));
                    }
                }
            }
        }
        if (available < stored) {
            attrs.put("truncated", true);
            attrs.put("declaredSize", stored);
            attrs.put("availableBytes", available);
        }
        long contentSize = available;
        CollectionMember.Content content = null;
        if (hasData && (kind == EntryKind.FILE || kind == EntryKind.HARDLINK)) {
            final boolean sparseFinal = sparse;
            final String nm = name;
            final long[] mapFinal = sparseMap;
            final long logicalFinal = logical;
            final long dataFinal = dataOffset;
            final boolean mapOk = sparseMap != null && available == stored && validSparseMap(sparseMap, logical, stored);
            if (sparse) {
                attrs.put("sparseSegments", sparseMap == null ? -1L : (long) sparseMap.length / 2);
            }
            content = () -> {
                if (sparseFinal) {
                    if (!mapOk) {
                        throw new UnsupportedFormatException("tar sparse member", h.offset(), "content of sparse member '"
                                + nm + "' is not reconstructed (missing, inconsistent or truncated sparse map; "
                                + contentSize + " stored bytes)");
                    }
                    long[] offs = new long[mapFinal.length / 2];
                    long[] lens = new long[mapFinal.length / 2];
                    for (int i = 0; i < offs.length; i++) {
                        offs[i] = mapFinal[2 * i];
                        lens[i] = mapFinal[2 * i + 1];
                    }
                    return new SparseSource(memberSource(dataFinal, contentSize, nm), offs, lens, logicalFinal);
                }
                return memberSource(dataFinal, contentSize, nm);
            };
        }
        if (compression != TarCompression.NONE && contentSize > 0 && contentSize <= cache.threshold() && !sparse
                && content != null) {
            smallRanges.add(new long[]{dataOffset, contentSize});
        }
        FileTimes times = new FileTimes(birth, mtime, ctime, atime, null);
        members.add(new CollectionMember(name, kind, kind == EntryKind.DIRECTORY ? 0 : logical, mode, uid, gid,
                uname, gname, times, (kind == EntryKind.SYMLINK || kind == EntryKind.HARDLINK) ? link : null, xattrs,
                firstHeader, content, attrs));
        return !stop;
    }

    /** pax 0.1 sparse map: {@code GNU.sparse.map=offset,numbytes,...}; null when malformed. */
    private long[] parseSparseMap01(String v) {
        String[] parts = v.split(",");
        if (parts.length % 2 != 0 || parts.length / 2 > limits.maxTableEntries()) {
            return null;
        }
        long[] out = new long[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                out[i] = Long.parseLong(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return out;
    }

    private ByteSource memberSource(long dataOffset, long size, String name) throws IOException {
        if (compression == TarCompression.NONE) {
            return ByteSources.slice(whole, dataOffset, size);
        }
        return new MemberSource(whole, dataOffset, size, cache, dataOffset, description + ":" + name);
    }

    /** Reads the extension records of an old GNU sparse member (21 map entries each); null when indexing must stop. */
    private long[] readSparseExtensions(TarInput in, TarHeader h) throws IOException {
        byte[] ext = new byte[TarHeader.BLOCK];
        long[] map = h.sparseMap();
        long count = 0;
        while (true) {
            count++;
            if (count * SPARSE_ENTRIES_PER_EXTENSION > limits.maxTableEntries()) {
                error(h.offset(), "sparse map of member '" + h.name() + "' at offset " + h.offset()
                        + " exceeds maxTableEntries; indexing stopped");
                return null;
            }
            int n = in.readBlock(ext);
            if (n < TarHeader.BLOCK) {
                error(h.offset(), "archive truncated in the sparse map of member '" + h.name() + "' at offset "
                        + h.offset() + failureText(in));
                return null;
            }
            long[] more;
            try {
                more = TarHeader.sparseEntries(ext, 0, SPARSE_ENTRIES_PER_EXTENSION, in.position() - TarHeader.BLOCK);
            } catch (ParseException e) {
                error(h.offset(), "unreadable sparse map of member '" + h.name() + "': " + e.getMessage());
                return null;
            }
            long[] joined = java.util.Arrays.copyOf(map, map.length + more.length);
            System.arraycopy(more, 0, joined, map.length, more.length);
            map = joined;
            if (ext[504] == 0) {
                return map;
            }
        }
    }

    /**
     * Reads the pax 1.0 sparse map at the start of the member data: decimal numbers one per line
     * (count, then offset/numbytes pairs), padded to a record. Returns {map..., bytesConsumed} or
     * null when it is malformed (the caller keeps the member listed only).
     */
    private long[] readPaxSparseMap(TarInput in, TarHeader h, long stored) throws IOException {
        StringBuilder line = new StringBuilder();
        long consumed = 0;
        long expected = -1;
        long[] map = null;
        int filled = 0;
        byte[] block = new byte[TarHeader.BLOCK];
        while (true) {
            if (consumed + TarHeader.BLOCK > stored) {
                return null;
            }
            if (in.readBlock(block) < TarHeader.BLOCK) {
                return null;
            }
            consumed += TarHeader.BLOCK;
            for (int i = 0; i < TarHeader.BLOCK; i++) {
                byte c = block[i];
                if (c != '\n') {
                    if (c < '0' || c > '9' || line.length() > 19) {
                        return null;
                    }
                    line.append((char) c);
                    continue;
                }
                long v;
                try {
                    v = Long.parseLong(line.toString());
                } catch (NumberFormatException e) {
                    return null;
                }
                line.setLength(0);
                if (expected < 0) {
                    // each pair takes at least four bytes of the map ("0\n0\n"): more is a lie
                    if (v > limits.maxTableEntries() || v > stored / 4) {
                        warning(h.offset(), "sparse map of member '" + h.name() + "' has " + v
                                + " entries, over maxTableEntries; content not reconstructed");
                        return null;
                    }
                    expected = v;
                    map = new long[(int) (2 * v)];
                } else {
                    map[filled++] = v;
                }
                if (filled == map.length) {
                    long[] out = java.util.Arrays.copyOf(map, map.length + 1);
                    out[map.length] = consumed; // the map ends within this record; data starts after it
                    return out;
                }
            }
        }
    }

    /** True when (offset, numbytes) pairs are ordered, inside {@code realSize} and add up to {@code stored}. */
    private static boolean validSparseMap(long[] map, long realSize, long stored) {
        long sum = 0;
        long prevEnd = 0;
        for (int i = 0; i + 1 < map.length; i += 2) {
            long off = map[i];
            long len = map[i + 1];
            if (off < prevEnd || len < 0 || off > realSize || len > realSize - off) {
                return false;
            }
            prevEnd = off + len;
            sum += len;
        }
        return sum == stored;
    }

    /**
     * {@code SCHILY.xattr.<name>} (value = raw bytes, as GNU tar and star write it) and
     * {@code LIBARCHIVE.xattr.<url-encoded name>} (value = base64, as bsdtar writes it).
     */
    private Map<String, byte[]> xattrs(Map<String, byte[]> p, long offset) {
        Map<String, byte[]> out = new TreeMap<>();
        // SCHILY spellings first, so that when both are present the choice does not depend on map order
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>(new TreeMap<>(p).entrySet());
        entries.sort(java.util.Comparator.comparing(e -> e.getKey().startsWith("SCHILY.") ? 0 : 1));
        for (Map.Entry<String, byte[]> e : entries) {
            String k = e.getKey();
            byte[] v = e.getValue();
            if (v == null) {
                continue;
            }
            String name;
            byte[] value;
            if (k.startsWith("SCHILY.xattr.")) {
                name = k.substring("SCHILY.xattr.".length());
                value = v;
            } else if (k.startsWith("LIBARCHIVE.xattr.")) {
                name = urlDecode(k.substring("LIBARCHIVE.xattr.".length()));
                try {
                    value = Base64.getMimeDecoder().decode(v);
                } catch (IllegalArgumentException ex) {
                    warning(offset, "pax " + k + " is not base64; ignored");
                    continue;
                }
            } else {
                continue;
            }
            if (value.length > limits.maxXattrSize()) {
                warning(offset, "xattr " + name + " of " + value.length + " bytes exceeds maxXattrSize; not kept");
                continue;
            }
            // both spellings may be present for one attribute; libarchive's one carries the same bytes
            out.putIfAbsent(name, value);
        }
        return out;
    }

    private static String urlDecode(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '%' && i + 2 < b.length && Character.digit(b[i + 1], 16) >= 0
                    && Character.digit(b[i + 2], 16) >= 0) {
                out.write(Character.digit(b[i + 1], 16) << 4 | Character.digit(b[i + 2], 16));
                i += 2;
            } else {
                out.write(b[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The tar stream as the indexer reads it: positional reads on an uncompressed source (skips are
     * free), or a decompressor read forwards. A decompressor failure ends the input and is kept.
     */
    static final class TarInput {
        private final ByteSource src;
        private final InputStream stream;
        private long pos;
        private IOException failure;
        private boolean eof;
        private byte[] scratch;

        TarInput(ByteSource src, InputStream stream) {
            this.src = src;
            this.stream = stream;
        }

        long position() {
            return pos;
        }

        IOException failure() {
            return failure;
        }

        boolean atEnd() {
            return eof || (src != null && pos >= src.size());
        }

        int readBlock(byte[] b) throws IOException {
            return readFully(b, 0, TarHeader.BLOCK);
        }

        /** Reads up to {@code len} bytes, fewer only at the end of the input. */
        int readFully(byte[] b, int off, int len) throws IOException {
            if (src != null) {
                long left = src.size() - pos;
                int n = (int) Math.max(0, Math.min(len, left));
                if (n > 0) {
                    src.readFully(pos, b, off, n);
                }
                pos += n;
                return n;
            }
            int total = 0;
            while (total < len && !eof) {
                int n;
                try {
                    n = stream.read(b, off + total, len - total);
                } catch (IOException | RuntimeException e) {
                    fail(e);
                    break;
                }
                if (n < 0) {
                    eof = true;
                    break;
                }
                total += n;
                pos += n;
            }
            return total;
        }

        /** Skips up to {@code n} bytes; returns how many were skipped (fewer only at the end). */
        long skip(long n) throws IOException {
            if (src != null) {
                long k = Math.max(0, Math.min(n, src.size() - pos));
                pos += k;
                return k;
            }
            if (scratch == null) {
                scratch = new byte[1 << 16];
            }
            long done = 0;
            while (done < n && !eof) {
                int r;
                try {
                    r = stream.read(scratch, 0, (int) Math.min(scratch.length, n - done));
                } catch (IOException | RuntimeException e) {
                    fail(e);
                    break;
                }
                if (r < 0) {
                    eof = true;
                    break;
                }
                done += r;
                pos += r;
            }
            return done;
        }

        private void fail(Exception e) {
            eof = true;
            failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
        }
    }
}
