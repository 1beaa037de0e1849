package io.vestige.format.collection;

import io.vestige.evidence.EntryKind;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.FileTimes;
import io.vestige.evidence.Paths;
import io.vestige.evidence.Xattr;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostic;
import io.vestige.io.Diagnostics;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseLimits;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An archive's members presented as a read-only {@link FileSystem}. The tree is built once from
 * the index: member names are normalized so that {@code ./x}, {@code /x} and {@code ../../x} all
 * land under the root, a collector's wrapping folder is stripped ({@link CollectionLayout}),
 * missing parent folders are synthesized, and a later member with the same path replaces the
 * earlier one (as extraction would), with a diagnostic. Nothing is ever written to the host.
 */
public final class CollectionFileSystem implements FileSystem {
    /** Hard-link chains longer than this are reported, not followed. */
    static final int MAX_LINK_HOPS = 16;

    private final String type;
    private final String label;
    private final EvidencePath evidencePath;
    private final Diagnostics diagnostics;
    private final CollectionLayout layout;
    private final Node root;
    private final Map<String, Node> byPath = new HashMap<>();
    private final Map<String, Object> info;
    private final Closeable resources;
    private final List<Node> archiveOrder = new ArrayList<>();
    private final ParseLimits limits;

    static final class Node {
        final String path;
        CollectionMember member;
        boolean metadata;
        TreeMap<String, Node> children;

        Node(String path) {
            this.path = path;
        }
    }

    /**
     * @param type        file-system type ({@code tar}, {@code zip})
     * @param members     members in archive order
     * @param diagnostics where tree-building problems go (shared with the container)
     * @param resources   closed when the file system is closed (may be {@code null})
     */
    public CollectionFileSystem(String type, String label, EvidencePath evidencePath, List<CollectionMember> members,
                                Diagnostics diagnostics, ParseLimits limits, Map<String, Object> info,
                                Closeable resources) throws MalformedException {
        this.type = type;
        this.label = label;
        this.evidencePath = evidencePath;
        this.diagnostics = diagnostics;
        this.resources = resources;
        this.limits = limits;
        List<String> normalized = new ArrayList<>(members.size());
        for (CollectionMember m : members) {
            normalized.add(Paths.normalize(m.member()));
        }
        this.layout = CollectionLayout.detect(normalized);
        this.root = new Node("/");
        byPath.put("/", root);
        long duplicates = 0;
        for (int i = 0; i < members.size(); i++) {
            CollectionMember m = members.get(i);
            if (hasDotDot(m.member())) {
                diagnostics.add(Diagnostic.warning(evidencePath.toString(), type + " member", m.headerOffset(),
                        "member name '" + m.member() + "' climbs with '..'; kept under the root as "
                                + normalized.get(i)));
            }
            CollectionLayout.Mapping map = layout.map(normalized.get(i));
            String path = map.path();
            if (path.equals("/")) {
                if (m.kind() == EntryKind.DIRECTORY) {
                    root.member = m;
                } else {
                    diagnostics.add(Diagnostic.warning(evidencePath.toString(), type + " member", m.headerOffset(),
                            "member '" + m.member() + "' names the root but is a " + m.kind().label() + "; not listed"));
                }
                continue;
            }
            Node parent = ensureParents(Paths.parent(path), m, limits);
            String name = Paths.name(path);
            if (parent.children == null) {
                parent.children = new TreeMap<>();
            }
            Node n = parent.children.get(name);
            if (n == null) {
                n = new Node(path);
                parent.children.put(name, n);
                byPath.put(path, n);
            } else if (n.member != null && !(n.member.kind() == EntryKind.DIRECTORY && m.kind() == EntryKind.DIRECTORY)) {
                duplicates++;
                if (duplicates <= 1000) {
                    diagnostics.add(Diagnostic.warning(evidencePath.toString(), type + " member", m.headerOffset(),
                            "member '" + m.member() + "' replaces an earlier member at " + path + " (header @ "
                                    + n.member.headerOffset() + ")"));
                }
            }
            n.member = m;
            n.metadata = map.metadata();
            archiveOrder.add(n);
        }
        if (duplicates > 1000) {
            diagnostics.add(Diagnostic.warning(evidencePath.toString(), type + " member", -1,
                    duplicates + " members replace earlier ones (first 1000 listed)"));
        }
        Map<String, Object> inf = new TreeMap<>(info == null ? Map.of() : info);
        inf.put("layout", layout.kind().name().toLowerCase(java.util.Locale.ROOT));
        inf.put("layoutPrefix", layout.prefix());
        inf.put("members", (long) members.size());
        this.info = inf;
    }

    private static boolean hasDotDot(String name) {
        for (String c : name.replace('\\', '/').split("/")) {
            if (c.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private Node ensureParents(String dir, CollectionMember cause, ParseLimits limits) throws MalformedException {
        Node existing = byPath.get(dir);
        if (existing != null) {
            noteNonDirectoryParent(existing, cause);
            return existing;
        }
        Node cur = root;
        if (dir.equals("/")) {
            return root;
        }
        int depth = 0;
        for (String part : dir.substring(1).split("/")) {
            if (++depth > limits.maxNameLength()) {
                throw new MalformedException(type + " member", cause.headerOffset(), "path too deep: " + dir);
            }
            if (cur.children == null) {
                cur.children = new TreeMap<>();
            }
            Node next = cur.children.get(part);
            if (next == null) {
                next = new Node(Paths.join(cur.path, part));
                cur.children.put(part, next);
                byPath.put(next.path, next);
            }
            noteNonDirectoryParent(next, cause);
            cur = next;
        }
        return cur;
    }

    private void noteNonDirectoryParent(Node n, CollectionMember cause) {
        if (n.member != null && n.member.kind() != EntryKind.DIRECTORY && n != root) {
            diagnostics.add(Diagnostic.warning(evidencePath.toString(), type + " member", cause.headerOffset(),
                    "member '" + cause.member() + "' lies under " + n.path + ", which is a " + n.member.kind().label()
                            + " (member '" + n.member.member() + "'); reachable by path only"));
        }
    }

    /**
     * The entries that hold members, in archive order (replaced duplicates left out). Readers that
     * visit many files of a compressed archive should go in this order: it is a single pass over
     * the decompressed stream, where path order may force restarts.
     */
    public List<FileEntry> entriesInArchiveOrder() {
        List<FileEntry> out = new ArrayList<>(archiveOrder.size());
        java.util.IdentityHashMap<Node, Boolean> seen = new java.util.IdentityHashMap<>();
        for (int i = 0; i < archiveOrder.size(); i++) {
            Node n = archiveOrder.get(i);
            if (seen.put(n, Boolean.TRUE) == null) {
                out.add(new Entry(n));
            }
        }
        // a node replaced by a later member belongs at the later member's place
        out.sort(java.util.Comparator.comparingLong(e -> ((Entry) e).order()));
        return out;
    }

    public CollectionLayout layout() {
        return layout;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public EvidencePath evidencePath() {
        return evidencePath;
    }

    @Override
    public FileEntry root() {
        return new Entry(root);
    }

    @Override
    public FileEntry lookup(String path) {
        Node n = byPath.get(Paths.normalize(path));
        return n == null ? null : new Entry(n);
    }

    @Override
    public List<Diagnostic> diagnostics() {
        return diagnostics.list();
    }

    @Override
    public Map<String, Object> info() {
        return info;
    }

    @Override
    public void close() throws IOException {
        if (resources != null) {
            resources.close();
        }
    }

    /** The member a hard link finally points to, or {@code null} if it cannot be resolved. */
    private Node resolveHardLink(Node n) {
        Node cur = n;
        for (int hop = 0; hop < MAX_LINK_HOPS; hop++) {
            if (cur.member == null || cur.member.kind() != EntryKind.HARDLINK) {
                return cur;
            }
            String target = cur.member.linkTarget();
            if (target == null) {
                return null;
            }
            Node t = byPath.get(layout.map(Paths.normalize(target)).path());
            if (t == null || t == cur) {
                return null;
            }
            cur = t;
        }
        return null;
    }

    final class Entry implements FileEntry {
        private final Node node;

        Entry(Node node) {
            this.node = node;
        }

        private CollectionMember m() {
            return node.member;
        }

        long order() {
            Object d = node.member == null ? null : node.member.attributes().get("dataOffset");
            return d instanceof Long l ? l : node.member == null ? -1 : node.member.headerOffset();
        }

        @Override
        public String name() {
            return Paths.name(node.path);
        }

        @Override
        public String path() {
            return node.path;
        }

        @Override
        public EntryKind kind() {
            return m() == null ? EntryKind.DIRECTORY : m().kind();
        }

        @Override
        public long size() {
            if (m() == null || m().kind() == EntryKind.DIRECTORY) {
                return 0;
            }
            if (m().kind() == EntryKind.HARDLINK && m().size() == 0) {
                Node t = resolveHardLink(node);
                if (t != null && t.member != null) {
                    return t.member.size();
                }
            }
            return m().size();
        }

        @Override
        public int mode() {
            return m() == null ? -1 : m().mode();
        }

        @Override
        public long uid() {
            return m() == null ? -1 : m().uid();
        }

        @Override
        public long gid() {
            return m() == null ? -1 : m().gid();
        }

        @Override
        public FileTimes times() {
            return m() == null ? FileTimes.NONE : m().times();
        }

        @Override
        public String linkTarget() {
            return m() == null ? null : m().linkTarget();
        }

        @Override
        public ByteSource content() throws IOException {
            CollectionMember cm = m();
            if (cm == null) {
                return ByteSources.empty();
            }
            if (cm.kind() == EntryKind.HARDLINK && cm.size() == 0) {
                Node t = resolveHardLink(node);
                if (t == null || t.member == null) {
                    throw new MalformedException(type + " member", cm.headerOffset(), "hard link '" + cm.member()
                            + "' to '" + cm.linkTarget() + "': target not found among earlier members");
                }
                cm = t.member;
            }
            if (cm.content() == null || cm.kind() == EntryKind.DIRECTORY || cm.kind() == EntryKind.SYMLINK) {
                return ByteSources.empty();
            }
            return cm.content().open();
        }

        @Override
        public List<FileEntry> children() {
            if (node.children == null || kind() != EntryKind.DIRECTORY) {
                return List.of();
            }
            List<FileEntry> out = new ArrayList<>(node.children.size());
            for (Node c : node.children.values()) {
                out.add(new Entry(c));
            }
            return out;
        }

        /**
         * The {@code ._name} AppleDouble sibling (or its copy under {@code /__MACOSX}) that carries
         * this entry's attributes, if any.
         */
        private Node appleDouble() {
            String name = name();
            if (node == root || name.startsWith("._")) {
                return null;
            }
            Node ad = byPath.get(Paths.join(Paths.parent(node.path), "._" + name));
            if (ad == null && !node.path.startsWith("/__MACOSX/")) {
                // ditto and Archive Utility put them in a parallel __MACOSX tree inside zips
                ad = byPath.get(Paths.join("/__MACOSX" + (Paths.parent(node.path).equals("/") ? ""
                        : Paths.parent(node.path)), "._" + name));
            }
            return ad != null && ad.member != null && ad.member.kind() == EntryKind.FILE
                    && ad.member.content() != null ? ad : null;
        }

        /**
         * The member's own extended attributes, plus those macOS archivers stored in the
         * AppleDouble {@code ._name} sibling (the member's own win on a name clash); a resource
         * fork there appears as {@code com.apple.ResourceFork}.
         */
        @Override
        public List<Xattr> xattrs() {
            Map<String, byte[]> all = new TreeMap<>();
            Node ad = appleDouble();
            if (ad != null && ad.member.size() <= Math.min(limits.maxXattrSize(), 64L << 20)) {
                try (ByteSource s = ad.member.content().open()) {
                    byte[] b = s.readBytes(0, (int) s.size());
                    if (AppleDouble.isAppleDouble(b)) {
                        AppleDouble d = AppleDouble.parse(b, limits.maxXattrSize());
                        all.putAll(d.xattrs());
                        if (d.resourceFork().length > 0) {
                            all.put("com.apple.ResourceFork", d.resourceFork());
                        }
                    }
                } catch (IOException e) {
                    diagnostics.add(Diagnostic.warning(evidencePath.toString(), "AppleDouble", ad.member.headerOffset(),
                            "attributes of " + node.path + " in '" + ad.member.member() + "' are unreadable: "
                                    + e.getMessage()));
                }
            }
            if (m() != null) {
                all.putAll(m().xattrs());
            }
            if (all.isEmpty()) {
                return List.of();
            }
            List<Xattr> out = new ArrayList<>();
            for (Map.Entry<String, byte[]> x : all.entrySet()) {
                out.add(new Xattr(x.getKey(), x.getValue().length, ByteSources.wrap(x.getValue(), x.getKey())));
            }
            return out;
        }

        @Override
        public EvidencePath evidencePath() {
            if (m() == null) {
                return evidencePath.thenPath(node.path);
            }
            return evidencePath.then("member", m().member() + " @ " + m().headerOffset()).thenPath(node.path);
        }

        @Override
        public Map<String, Object> attributes() {
            Map<String, Object> a = new LinkedHashMap<>();
            if (m() != null) {
                a.putAll(m().attributes());
                a.put("member", m().member());
                a.put("headerOffset", m().headerOffset());
                if (m().uname() != null && !m().uname().isEmpty()) {
                    a.put("uname", m().uname());
                }
                if (m().gname() != null && !m().gname().isEmpty()) {
                    a.put("gname", m().gname());
                }
            } else if (node != root) {
                a.put("synthesized", true);
            }
            if (name().startsWith("._")) {
                a.put("appleDouble", true);
            } else {
                Node ad = appleDouble();
                if (ad != null) {
                    a.put("appleDoubleMember", ad.member.member());
                }
            }
            if (node.metadata) {
                a.put("collectionMetadata", true);
            }
            return new TreeMap<>(a);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.node == node;
        }

        @Override
        public int hashCode() {
            return node.path.hashCode();
        }

        @Override
        public String toString() {
            return node.path;
        }
    }
}
