package io.vestige.format.apfs;

import io.vestige.evidence.EntryKind;
import io.vestige.evidence.EvidencePath;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.FileTimes;
import io.vestige.evidence.Paths;
import io.vestige.evidence.Xattr;
import io.vestige.io.ByteSource;
import io.vestige.io.Diagnostic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A macOS volume group (System and Data volumes sharing a volume-group UUID, macOS 10.15+) shown
 * as macOS mounts it: the System volume at {@code /}, the Data volume at {@code /System/Volumes/Data},
 * and each firmlink of the System volume ({@code /usr/share/firmlinks}: "{@code /path<TAB>data-relative-path}")
 * replaced by its Data-volume directory, so {@code /private/tmp} and {@code /Users} show the Data
 * volume's content. Without a firmlinks file every top-level directory of the Data volume is
 * linked at the same name. Entries keep their own volume's inode numbers; {@code attributes()}
 * names the volume.
 */
public final class ApfsVolumeGroup implements FileSystem {
    static final String DATA_MOUNT = "/System/Volumes/Data";

    private final ApfsVolume system;
    private final ApfsVolume data;
    private final TreeMap<String, String> links; // merged path -> path inside the Data volume
    private final EvidencePath evidencePath;

    ApfsVolumeGroup(ApfsVolume system, ApfsVolume data, TreeMap<String, String> links) {
        this.system = system;
        this.data = data;
        this.links = links;
        this.evidencePath = system.container().evidencePath().then("apfs", "volume group "
                + system.superblock().volumeGroupId() + " (\"" + system.label() + "\" + \"" + data.label()
                + "\") xid " + system.xid());
    }

    /** Merged views for every System/Data pair among {@code volumes} whose trees are readable. */
    static List<FileSystem> merged(List<FileSystem> volumes) {
        List<FileSystem> out = new ArrayList<>();
        for (FileSystem a : volumes) {
            if (!(a instanceof ApfsVolume s) || s.superblock().role() != 0x1 || s.superblock().volumeGroupId() == null
                    || s.superblock().encrypted()) {
                continue;
            }
            for (FileSystem b : volumes) {
                if (b instanceof ApfsVolume d && d.superblock().role() == 0x40
                        && s.superblock().volumeGroupId().equals(d.superblock().volumeGroupId())
                        && !d.superblock().encrypted()) {
                    try {
                        out.add(new ApfsVolumeGroup(s, d, firmlinks(s, d)));
                    } catch (IOException e) {
                        s.io().diagnostics.add(Diagnostic.warning(s.evidencePath().toString(), "APFS volume group",
                                -1, "no merged System+Data view: " + e.getMessage()));
                    }
                }
            }
        }
        return out;
    }

    /** The System volume's firmlinks, or a link per top-level Data directory when it has none. */
    static TreeMap<String, String> firmlinks(ApfsVolume system, ApfsVolume data) throws IOException {
        TreeMap<String, String> m = new TreeMap<>();
        FileEntry f = system.lookup("/usr/share/firmlinks");
        if (f != null && f.isFile() && f.size() < (1 << 20)) {
            String text = new String(f.content().readBytes(0, (int) f.size()), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    m.put(Paths.normalize(line.substring(0, tab)), Paths.normalize(line.substring(tab + 1)));
                }
            }
        }
        if (m.isEmpty()) {
            for (FileEntry c : data.root().children()) {
                if (c.isDirectory()) {
                    m.put("/" + c.name(), "/" + c.name());
                }
            }
        }
        m.put(DATA_MOUNT, "/");
        return m;
    }

    public ApfsVolume systemVolume() {
        return system;
    }

    public ApfsVolume dataVolume() {
        return data;
    }

    /** Merged path → Data-volume path for every firmlink applied. */
    public Map<String, String> firmlinks() {
        return java.util.Collections.unmodifiableMap(links);
    }

    @Override
    public String type() {
        return "apfs";
    }

    @Override
    public String label() {
        return system.label() + " + " + data.label();
    }

    @Override
    public EvidencePath evidencePath() {
        return evidencePath;
    }

    @Override
    public FileEntry root() throws IOException {
        return new Merged(system.root(), "/", system);
    }

    @Override
    public FileEntry lookup(String path) throws IOException {
        String norm = Paths.normalize(path);
        // the longest firmlink that is the path or one of its ancestors
        for (String p = norm; ; p = Paths.parent(p)) {
            String target = links.get(p);
            if (target != null) {
                String rest = norm.substring(p.length());
                FileEntry e = data.lookup(target + rest);
                return e == null ? null : new Merged(e, norm, data);
            }
            if (p.equals("/")) {
                break;
            }
        }
        FileEntry e = system.lookup(norm);
        return e == null ? null : new Merged(e, norm, system);
    }

    @Override
    public List<Diagnostic> diagnostics() {
        return system.diagnostics();
    }

    @Override
    public Map<String, Object> info() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("volumeGroup", String.valueOf(system.superblock().volumeGroupId()));
        m.put("system", system.label());
        m.put("data", data.label());
        m.put("xid", system.xid());
        m.put("firmlinks", new TreeMap<>(links));
        return m;
    }

    /** An entry of one member volume seen at its merged path. */
    final class Merged implements FileEntry {
        private final FileEntry e;
        private final String path;
        private final ApfsVolume from;

        Merged(FileEntry e, String path, ApfsVolume from) {
            this.e = e;
            this.path = path;
            this.from = from;
        }

        @Override
        public String name() {
            return Paths.name(path);
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public EntryKind kind() {
            return e.kind();
        }

        @Override
        public long size() {
            return e.size();
        }

        @Override
        public long inode() {
            return e.inode();
        }

        @Override
        public int mode() {
            return e.mode();
        }

        @Override
        public long uid() {
            return e.uid();
        }

        @Override
        public long gid() {
            return e.gid();
        }

        @Override
        public long linkCount() {
            return e.linkCount();
        }

        @Override
        public FileTimes times() {
            return e.times();
        }

        @Override
        public String linkTarget() {
            return e.linkTarget();
        }

        @Override
        public ByteSource content() throws IOException {
            return e.content();
        }

        @Override
        public List<FileEntry> children() throws IOException {
            List<FileEntry> out = new ArrayList<>();
            for (FileEntry c : e.children()) {
                String p = Paths.join(path, c.name());
                String target = from == system ? links.get(p) : null;
                if (target != null) {
                    FileEntry d = data.lookup(target);
                    if (d != null) {
                        out.add(new Merged(d, p, data));
                        continue;
                    }
                }
                out.add(new Merged(c, p, from));
            }
            if (from == system) {
                // firmlinks whose anchor folder is missing from the System volume still show up
                java.util.Set<String> have = new java.util.HashSet<>();
                for (FileEntry m : out) {
                    have.add(m.name());
                }
                for (Map.Entry<String, String> l : links.entrySet()) {
                    String p = l.getKey();
                    if (!p.equals("/") && Paths.parent(p).equals(path) && !have.contains(Paths.name(p))) {
                        FileEntry d = data.lookup(l.getValue());
                        if (d != null) {
                            out.add(new Merged(d, p, data));
                        }
                    }
                }
            }
            out.sort(Comparator.comparing(FileEntry::name));
            return out;
        }

        @Override
        public List<Xattr> xattrs() throws IOException {
            return e.xattrs();
        }

        @Override
        public EvidencePath evidencePath() {
            return e.evidencePath();
        }

        @Override
        public Map<String, Object> attributes() {
            Map<String, Object> m = new TreeMap<>(e.attributes());
            m.put("volume", from.label());
            m.put("volumePath", e.path());
            return m;
        }
    }
}
