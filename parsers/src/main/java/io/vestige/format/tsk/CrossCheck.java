package io.vestige.format.tsk;

import io.vestige.evidence.EntryKind;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.io.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Compares two {@link FileSystem}s entry by entry — normally Vestige's own reader against The
 * Sleuth Kit engine on the same volume — and says where two independent implementations agree.
 * Each difference carries both values and, where the cause is a documented limitation of TSK 4.11,
 * the reason, so that an examiner can tell a known gap from a finding.
 *
 * <p>Known TSK 4.11 limitations recognised (checked against the 4.11.1 sources, {@code tsk/fs/apfs_compat.cpp},
 * {@code decmpfs.h}, {@code hfs.c}):
 * <ul>
 * <li>TSK adds virtual entries that are no real names: HFS+ {@code $ExtentsFile}, {@code $CatalogFile},
 * {@code $BadBlockFile}, {@code $AllocationFile}, {@code $AttributesFile}, {@code $StartupFile}; NTFS/FAT/ext
 * {@code $OrphanFiles} and NTFS metadata files; it also lists HFS+'s hidden private-data folders;</li>
 * <li>APFS symlinks get size 0 (TSK takes the size from the data stream; the target is in the
 * {@code com.apple.fs.symlink} xattr);</li>
 * <li>APFS transparent compression: TSK decompresses decmpfs zlib and LZVN only (types 3, 4, 7, 8), not LZFSE,
 * LZBITMAP or the raw/chunked types, and its size comes from the (absent) data stream;</li>
 * <li>HFS+ hard links are reported by TSK with the indirect node's CNID;</li>
 * <li>TSK reads only the live APFS tree (no snapshots) and does not open encrypted volumes;</li>
 * <li>TSK reports 0 for times a file system does not keep; both sides then read {@code null}.</li>
 * </ul>
 */
public final class CrossCheck {

    /** The fields compared, in report order. */
    public enum Field {
        PRESENCE("presence"), INODE("inode"), KIND("kind"), SIZE("size"), MODE("mode"), UID("uid"), GID("gid"),
        CREATED("crtime"), MODIFIED("mtime"), CHANGED("ctime"), ACCESSED("atime"), LINK("link"), MD5("md5"),
        ERROR("error");

        private final String label;

        Field(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * How to compare.
     *
     * @param fields       the fields to compare ({@code presence} is always compared)
     * @param maxEntries   entries walked per side before stopping (the result then says truncated)
     * @param maxHashBytes regular files larger than this are not hashed
     * @param maxDepth     directory nesting walked
     */
    public record Options(Set<Field> fields, long maxEntries, long maxHashBytes, int maxDepth) {
        public Options {
            EnumSet<Field> f = EnumSet.of(Field.PRESENCE, Field.ERROR);
            f.addAll(fields);
            fields = Collections.unmodifiableSet(f);
        }

        public static Options defaults() {
            return new Options(EnumSet.allOf(Field.class), 10_000_000L, 4L << 30, 1024);
        }

        public Options withFields(Set<Field> f) {
            return new Options(f, maxEntries, maxHashBytes, maxDepth);
        }
    }

    /**
     * One disagreement.
     *
     * @param knownReason why this is expected (a documented TSK limitation), or {@code null} when unexplained
     */
    public record Difference(String path, String field, String vestige, String tsk, String knownReason) {
        public boolean known() {
            return knownReason != null;
        }

        @Override
        public String toString() {
            return path + " " + field + ": vestige=" + vestige + " tsk=" + tsk
                    + (knownReason == null ? "" : " (known: " + knownReason + ")");
        }
    }

    /**
     * The outcome.
     *
     * @param agreed      entries present on both sides with every compared field equal
     * @param compared    entries present on both sides
     * @param differences every difference, sorted by path then field
     * @param truncated   a side had more than {@code maxEntries} entries
     */
    public record Result(String vestigeLabel, String tskLabel, long vestigeEntries, long tskEntries, long compared,
                         long agreed, List<Difference> differences, boolean truncated) {
        public Result {
            differences = List.copyOf(differences);
        }

        public List<Difference> unexplained() {
            return differences.stream().filter(d -> !d.known()).toList();
        }

        /** True when every difference is a known TSK limitation. */
        public boolean consistent() {
            return unexplained().isEmpty() && !truncated;
        }

        /** One line: {@code two independent implementations agree on N entries; differences: …}. */
        public String summary() {
            StringBuilder sb = new StringBuilder("two independent implementations agree on ").append(agreed)
                    .append(agreed == 1 ? " entry" : " entries");
            if (differences.isEmpty()) {
                sb.append("; differences: none");
            } else {
                List<Difference> known = differences.stream().filter(Difference::known).toList();
                List<Difference> unexplained = unexplained();
                sb.append("; differences: ");
                List<String> parts = new ArrayList<>();
                if (!known.isEmpty()) {
                    parts.add(known.size() + " known TSK limitation" + (known.size() == 1 ? "" : "s") + " ("
                            + countByField(known) + ")");
                }
                if (!unexplained.isEmpty()) {
                    StringBuilder u = new StringBuilder().append(unexplained.size()).append(" unexplained (");
                    int shown = 0;
                    for (Difference d : unexplained) {
                        if (shown == 3) {
                            u.append(", …");
                            break;
                        }
                        u.append(shown == 0 ? "" : ", ").append(d.path()).append(' ').append(d.field());
                        shown++;
                    }
                    parts.add(u.append(')').toString());
                }
                sb.append(String.join(", ", parts));
            }
            if (truncated) {
                sb.append("; walk truncated at the entry limit");
            }
            return sb.toString();
        }

        private static String countByField(List<Difference> ds) {
            Map<String, Integer> m = new TreeMap<>();
            for (Difference d : ds) {
                m.merge(d.field(), 1, Integer::sum);
            }
            List<String> s = new ArrayList<>();
            m.forEach((k, v) -> s.add(k + ": " + v));
            return String.join(", ", s);
        }

        /** A plain map for JSON output (deterministic order). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vestige", vestigeLabel);
            m.put("tsk", tskLabel);
            m.put("vestigeEntries", vestigeEntries);
            m.put("tskEntries", tskEntries);
            m.put("compared", compared);
            m.put("agreed", agreed);
            m.put("truncated", truncated);
            m.put("summary", summary());
            List<Map<String, Object>> ds = new ArrayList<>();
            for (Difference d : differences) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("path", d.path());
                x.put("field", d.field());
                x.put("vestige", d.vestige());
                x.put("tsk", d.tsk());
                x.put("knownReason", d.knownReason());
                ds.add(x);
            }
            m.put("differences", ds);
            return m;
        }
    }

    private CrossCheck() {
    }

    public static Result compare(FileSystem vestige, FileSystem tsk) throws IOException {
        return compare(vestige, tsk, Options.defaults());
    }

    /** Walks both trees, pairs entries by path and compares the selected fields. */
    public static Result compare(FileSystem vestige, FileSystem tsk, Options options) throws IOException {
        List<Difference> diffs = new ArrayList<>();
        Walk left = walk(vestige, options, diffs, true);
        Walk right = walk(tsk, options, diffs, false);
        String fsType = tsk.type();
        Set<String> paths = new TreeSet<>(left.entries.keySet());
        paths.addAll(right.entries.keySet());
        long compared = 0;
        long agreed = 0;
        for (String p : paths) {
            FileEntry v = left.entries.get(p);
            FileEntry t = right.entries.get(p);
            if (v == null || t == null) {
                String vv = v == null ? "absent" : v.kind().label();
                String tv = t == null ? "absent" : t.kind().label();
                Difference d = new Difference(p, Field.PRESENCE.label(), vv, tv, null);
                diffs.add(withReason(d, fsType, v, t));
                continue;
            }
            compared++;
            List<Difference> mine = new ArrayList<>();
            compareEntry(p, v, t, options, mine);
            for (Difference d : mine) {
                diffs.add(withReason(d, fsType, v, t));
            }
            if (mine.isEmpty()) {
                agreed++;
            }
        }
        diffs.sort((a, b) -> {
            int c = a.path().compareTo(b.path());
            return c != 0 ? c : a.field().compareTo(b.field());
        });
        return new Result(vestige.type() + " " + vestige.label(), tsk.type() + " " + tsk.label(), left.entries.size(),
                right.entries.size(), compared, agreed, diffs, left.truncated || right.truncated);
    }

    private record Walk(Map<String, FileEntry> entries, boolean truncated) {
    }

    private static Walk walk(FileSystem fs, Options options, List<Difference> diffs, boolean vestigeSide)
            throws IOException {
        Map<String, FileEntry> out = new TreeMap<>();
        Deque<FileEntry> stack = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        stack.push(fs.root());
        depths.push(0);
        boolean truncated = false;
        while (!stack.isEmpty()) {
            FileEntry dir = stack.pop();
            int depth = depths.pop();
            List<FileEntry> children;
            try {
                children = dir.children();
            } catch (IOException | RuntimeException e) {
                String msg = String.valueOf(e.getMessage());
                diffs.add(new Difference(dir.path(), Field.ERROR.label(), vestigeSide ? msg : "", vestigeSide ? "" : msg,
                        null));
                continue;
            }
            for (FileEntry c : children) {
                if (out.size() >= options.maxEntries()) {
                    truncated = true;
                    break;
                }
                if (out.putIfAbsent(c.path(), c) == null && c.isDirectory() && depth + 1 < options.maxDepth()) {
                    stack.push(c);
                    depths.push(depth + 1);
                }
            }
            if (truncated) {
                break;
            }
        }
        return new Walk(out, truncated);
    }

    private static void compareEntry(String p, FileEntry v, FileEntry t, Options o, List<Difference> out) {
        Set<Field> f = o.fields();
        if (f.contains(Field.INODE) && v.inode() >= 0 && t.inode() >= 0) {
            cmp(out, p, Field.INODE, v.inode(), t.inode());
        }
        if (f.contains(Field.KIND)) {
            cmp(out, p, Field.KIND, kind(v), kind(t));
        }
        if (f.contains(Field.SIZE) && !v.isDirectory() && !t.isDirectory()) {
            cmp(out, p, Field.SIZE, v.size(), t.size());
        }
        if (f.contains(Field.MODE) && v.mode() >= 0 && t.mode() >= 0) {
            cmp(out, p, Field.MODE, "0" + Integer.toOctalString(v.mode()), "0" + Integer.toOctalString(t.mode()));
        }
        if (f.contains(Field.UID) && v.uid() >= 0 && t.uid() >= 0) {
            cmp(out, p, Field.UID, v.uid(), t.uid());
        }
        if (f.contains(Field.GID) && v.gid() >= 0 && t.gid() >= 0) {
            cmp(out, p, Field.GID, v.gid(), t.gid());
        }
        if (f.contains(Field.CREATED)) {
            cmp(out, p, Field.CREATED, v.times().created(), t.times().created());
        }
        if (f.contains(Field.MODIFIED)) {
            cmp(out, p, Field.MODIFIED, v.times().modified(), t.times().modified());
        }
        if (f.contains(Field.CHANGED)) {
            cmp(out, p, Field.CHANGED, v.times().changed(), t.times().changed());
        }
        if (f.contains(Field.ACCESSED)) {
            cmp(out, p, Field.ACCESSED, v.times().accessed(), t.times().accessed());
        }
        if (f.contains(Field.LINK) && v.kind() == EntryKind.SYMLINK && t.kind() == EntryKind.SYMLINK) {
            cmp(out, p, Field.LINK, v.linkTarget(), t.linkTarget());
        }
        if (f.contains(Field.MD5) && v.isFile() && t.isFile()) {
            String vm = md5(v, o.maxHashBytes());
            String tm = md5(t, o.maxHashBytes());
            if (vm != null && tm != null) {
                cmp(out, p, Field.MD5, vm, tm);
            }
        }
    }

    private static String kind(FileEntry e) {
        // an archive's hard link and a file system's second name of an inode are both regular files
        return e.kind() == EntryKind.HARDLINK ? EntryKind.FILE.label() : e.kind().label();
    }

    private static void cmp(List<Difference> out, String p, Field f, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(new Difference(p, f.label(), str(a), str(b), null));
        }
    }

    private static String str(Object o) {
        if (o == null) {
            return "none";
        }
        return o instanceof Instant i ? i.toString() : o.toString();
    }

    /** MD5 of a file's content, {@code null} when too large to hash, {@code "error: …"} when unreadable. */
    static String md5(FileEntry e, long maxBytes) {
        try (ByteSource src = e.content()) {
            if (src.size() > maxBytes) {
                return null;
            }
            MessageDigest md = MessageDigest.getInstance("MD5");
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            long off = 0;
            while (off < src.size()) {
                buf.clear();
                int n = src.read(off, buf);
                if (n <= 0) {
                    return "error: short read at " + off;
                }
                buf.flip();
                md.update(buf);
                off += n;
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | RuntimeException ex) {
            return "error: " + ex.getMessage();
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static final Pattern HFS_VIRTUAL = Pattern.compile(
            "/\\$(ExtentsFile|CatalogFile|BadBlockFile|AllocationFile|AttributesFile|StartupFile)");
    private static final Pattern NTFS_VIRTUAL = Pattern.compile(
            "/\\$(MFT|MFTMirr|LogFile|Volume|AttrDef|Bitmap|Boot|BadClus|Secure|UpCase|Extend)(/.*)?");
    private static final Pattern HFS_PRIVATE = Pattern.compile(
            "/(\\^\\^\\^\\^|\\x00\\x00\\x00\\x00)HFS\\+ Private Data|/\\.HFS\\+ Private Directory Data[\\r^]");

    private static Difference withReason(Difference d, String fsType, FileEntry v, FileEntry t) {
        String reason = knownReason(d, fsType, v, t);
        return reason == null ? d : new Difference(d.path(), d.field(), d.vestige(), d.tsk(), reason);
    }

    /** The documented TSK 4.11 limitation that explains {@code d}, or {@code null}. */
    static String knownReason(Difference d, String fsType, FileEntry v, FileEntry t) {
        String field = d.field();
        String path = d.path();
        boolean apfs = "apfs".equals(fsType);
        boolean hfs = "hfsplus".equals(fsType) || "hfs".equals(fsType);
        if (field.equals(Field.PRESENCE.label()) && v == null) {
            if (path.equals("/$OrphanFiles") || path.startsWith("/$OrphanFiles/")) {
                return "TSK virtual folder of orphan files (not a real name)";
            }
            if (hfs && HFS_VIRTUAL.matcher(path).matches()) {
                return "TSK virtual file for an HFS+ special file (not a real name)";
            }
            if ("ntfs".equals(fsType) && NTFS_VIRTUAL.matcher(path).matches()) {
                return "NTFS metadata file listed by TSK";
            }
            if (hfs && (HFS_PRIVATE.matcher(path).lookingAt())) {
                return "HFS+ private metadata folder, hidden by macOS and listed by TSK";
            }
        }
        if (field.equals(Field.PRESENCE.label()) && t == null && hfs && HFS_PRIVATE.matcher(path).lookingAt()) {
            return "HFS+ private metadata folder (names with control characters are rendered differently)";
        }
        if (apfs && field.equals(Field.SIZE.label()) && v != null && v.kind() == EntryKind.SYMLINK && "0".equals(d.tsk())) {
            return "TSK 4.11 gives APFS symlinks size 0 (the target is in the com.apple.fs.symlink xattr, not a data stream)";
        }
        if (apfs && (field.equals(Field.SIZE.label()) || field.equals(Field.MD5.label())) && compressed(v, t)) {
            return "APFS transparent compression: TSK 4.11 decodes decmpfs zlib and LZVN only (not LZFSE, LZBITMAP "
                    + "or raw chunks) and takes the size from the absent data stream";
        }
        if (hfs && field.equals(Field.INODE.label()) && v != null && (v.kind() == EntryKind.HARDLINK || v.linkCount() > 1)) {
            return "HFS+ hard link: TSK reports the indirect node's CNID";
        }
        return null;
    }

    private static boolean compressed(FileEntry v, FileEntry t) {
        for (FileEntry e : new FileEntry[] {v, t}) {
            if (e == null) {
                continue;
            }
            Map<String, Object> a = e.attributes();
            if (Boolean.TRUE.equals(a.get("compressed")) || a.containsKey("compression") || a.containsKey("decmpfs")
                    || a.containsKey("compressionType")) {
                return true;
            }
        }
        return false;
    }
}
