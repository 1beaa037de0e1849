package io.vestige.hashsets;

import io.vestige.reports.Finding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash sets an analysis consults: known-good and known-bad lists ({@link HashList}) and NSRL
 * RDSv3 databases ({@link NsrlDatabase}), given with {@code --known-good}, {@code --known-bad} and
 * {@code --nsrl}. A hit says only that the digest is listed; what a known-good or NSRL hit means for
 * the verdict is decided by {@code VerdictEngine}.
 */
public final class HashSets implements AutoCloseable {
    public static final String KNOWN_GOOD = "known-good";
    public static final String KNOWN_BAD = "known-bad";
    public static final String NSRL = "nsrl";
    /** Entries held in memory at most, over all lists. */
    public static final long MAX_ENTRIES = 50_000_000L;

    private final List<HashList> lists;
    private final List<NsrlDatabase> nsrl;
    private final List<String> nsrlSha256;

    private HashSets(List<HashList> lists, List<NsrlDatabase> nsrl, List<String> nsrlSha256) {
        this.lists = List.copyOf(lists);
        this.nsrl = List.copyOf(nsrl);
        this.nsrlSha256 = List.copyOf(nsrlSha256);
    }

    public static HashSets empty() {
        return new HashSets(List.of(), List.of(), List.of());
    }

    /** Loads every list and opens every database; on failure, whatever was opened is closed. */
    public static HashSets load(List<Path> knownGood, List<Path> knownBad, List<Path> nsrlDbs) throws IOException {
        List<HashList> lists = new ArrayList<>();
        List<NsrlDatabase> dbs = new ArrayList<>();
        List<String> dbHashes = new ArrayList<>();
        try {
            long left = MAX_ENTRIES;
            for (Path p : knownBad == null ? List.<Path>of() : knownBad) {
                HashList l = HashList.read(KNOWN_BAD, p, left);
                left -= l.size();
                lists.add(l);
            }
            for (Path p : knownGood == null ? List.<Path>of() : knownGood) {
                HashList l = HashList.read(KNOWN_GOOD, p, left);
                left -= l.size();
                lists.add(l);
            }
            for (Path p : nsrlDbs == null ? List.<Path>of() : nsrlDbs) {
                dbs.add(NsrlDatabase.open(p));
                dbHashes.add(sha256(p));
            }
        } catch (IOException | RuntimeException e) {
            for (NsrlDatabase d : dbs) {
                try {
                    d.close();
                } catch (IOException ignored) {
                    // the load error is what matters
                }
            }
            throw e;
        }
        return new HashSets(lists, dbs, dbHashes);
    }

    static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isEmpty() {
        return lists.isEmpty() && nsrl.isEmpty();
    }

    /**
     * Every set that lists a file, looked up by SHA-256, then SHA-1, then MD5 (the first match per
     * set); known-bad lists first, then known-good, then NSRL, each in command-line order.
     */
    public List<Finding.HashSetHit> lookup(String path, String md5, String sha1, String sha256) throws IOException {
        List<Finding.HashSetHit> hits = new ArrayList<>();
        String[][] digests = {{"sha256", sha256}, {"sha1", sha1}, {"md5", md5}};
        for (HashList l : lists) {
            for (String[] d : digests) {
                HashList.Entry e = d[1] == null ? null : l.lookup(d[0], d[1]);
                if (e != null) {
                    hits.add(new Finding.HashSetHit(path, sha256, l.kind(), String.valueOf(l.file().getFileName()), d[0],
                            e.name(), e.description(), e.source()));
                    break;
                }
            }
        }
        for (NsrlDatabase db : nsrl) {
            for (String[] d : digests) {
                NsrlDatabase.Entry e = d[1] == null ? null : db.lookup(d[0], d[1]);
                if (e != null) {
                    String desc = e.packageName() == null ? "package " + e.packageId()
                            : e.packageName() + (e.packageVersion() == null || e.packageVersion().isEmpty() ? "" : " " + e.packageVersion())
                            + " (package " + e.packageId() + ")";
                    hits.add(new Finding.HashSetHit(path, sha256, NSRL, String.valueOf(db.file().getFileName()), d[0],
                            e.fileName(), desc, "NSRL RDS"));
                    break;
                }
            }
        }
        return hits;
    }

    /** What was consulted, for the report's configuration: file, SHA-256 of the file, entry counts. */
    public List<Map<String, Object>> describe() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (HashList l : lists) {
            Map<String, Object> m = new TreeMap<>();
            m.put("set", l.kind());
            m.put("file", String.valueOf(l.file().getFileName()));
            m.put("sha256", l.fileSha256());
            m.put("entries", l.counts());
            out.add(m);
        }
        for (int i = 0; i < nsrl.size(); i++) {
            Map<String, Object> m = new TreeMap<>();
            m.put("set", NSRL);
            m.put("file", String.valueOf(nsrl.get(i).file().getFileName()));
            m.put("sha256", nsrlSha256.get(i));
            m.put("entries", "not counted (queried in place)");
            if (!nsrl.get(i).version().isEmpty()) {
                m.put("rdsVersion", new LinkedHashMap<>(nsrl.get(i).version()));
            }
            out.add(m);
        }
        return out;
    }

    /** One line per set for the report's scope. */
    public List<String> scopeLines() {
        List<String> out = new ArrayList<>();
        for (HashList l : lists) {
            out.add("Hash set " + l.kind() + " " + l.file().getFileName() + " (SHA-256 " + l.fileSha256() + "; "
                    + l.counts() + " entries) looked up for every hashed bundle file");
        }
        for (int i = 0; i < nsrl.size(); i++) {
            out.add("NSRL RDSv3 database " + nsrl.get(i).file().getFileName() + " (SHA-256 " + nsrlSha256.get(i)
                    + (nsrl.get(i).version().isEmpty() ? "" : "; RDS " + nsrl.get(i).version().getOrDefault("version", "?"))
                    + ") looked up for every hashed bundle file");
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (NsrlDatabase d : nsrl) {
            try {
                d.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
