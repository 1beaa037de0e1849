package io.vestige.format.apfs;

import io.vestige.evidence.EntryKind;
import io.vestige.evidence.FileEntry;
import io.vestige.io.Diagnostic;
import io.vestige.io.ParseException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The past of a volume: entries that existed in an older view (an older checkpoint or a snapshot)
 * but are gone from a newer one — how short-lived {@code /private/tmp} bundles are recovered
 * after deletion. An older checkpoint is only trusted as far as its blocks are still intact:
 * every node is checksum-verified and rejected when a newer transaction has reused its block.
 */
public final class ApfsHistory {
    private ApfsHistory() {
    }

    /**
     * An entry of an older view that is missing from the newer one.
     *
     * @param seenXid   the xid of the view it was seen in
     * @param status    {@code deleted} (inode gone), {@code moved} (inode still exists elsewhere) or
     *                  {@code replaced} (the path exists again, as a different inode)
     * @param nowAt     for {@code moved}: one path of the inode in the newer view; for {@code replaced} the path
     * @param seenIn    {@code checkpoint} or {@code snapshot NAME}
     * @param entry     the entry as it was (content readable while its blocks are not reused)
     */
    public record Vanished(String path, long inode, EntryKind kind, long size, long seenXid, String status,
                           String nowAt, String seenIn, FileEntry entry) {
    }

    /** Paths (and inodes) of every entry of a view, walked depth-first with a depth bound. */
    static Map<String, FileEntry> index(ApfsVolume v) throws IOException {
        Map<String, FileEntry> out = new TreeMap<>();
        walk(v.root(), out, 0, v.io().limits.maxTreeDepth() * 16);
        return out;
    }

    private static void walk(FileEntry e, Map<String, FileEntry> out, int depth, int max) throws IOException {
        out.put(e.path(), e);
        if (depth >= max) {
            return;
        }
        for (FileEntry c : e.children()) {
            walk(c, out, depth + 1, max);
        }
    }

    /** Entries of {@code older} whose path no longer exists in {@code newer} (or now names another inode). */
    public static List<Vanished> deletedSince(ApfsVolume newer, ApfsVolume older) throws IOException {
        // both listings must be complete: a skipped subtree in the newer view would look like deletions
        return diff(index(newer.strict()), older.strict());
    }

    private static List<Vanished> diff(Map<String, FileEntry> now, ApfsVolume older) throws IOException {
        Map<Long, String> inodesNow = new HashMap<>();
        for (FileEntry e : now.values()) {
            inodesNow.putIfAbsent(e.inode(), e.path());
        }
        List<Vanished> out = new ArrayList<>();
        String seenIn = older.snapshot() != null ? "snapshot " + older.snapshot().name() : "checkpoint";
        for (FileEntry e : index(older).values()) {
            FileEntry same = now.get(e.path());
            String at = inodesNow.get(e.inode());
            if (same != null) {
                if (same.inode() != e.inode() && at == null) {
                    // the path exists again but as another object: the one seen earlier was deleted
                    out.add(new Vanished(e.path(), e.inode(), e.kind(), e.size(), older.xid(), "replaced",
                            e.path(), seenIn, e));
                }
                continue;
            }
            out.add(new Vanished(e.path(), e.inode(), e.kind(), e.size(), older.xid(), at == null ? "deleted" : "moved",
                    at, seenIn, e));
        }
        return out;
    }

    /**
     * Every entry that some older view of volume {@code index} (each older valid checkpoint and
     * each snapshot) holds and the current view does not. An entry seen in several views is
     * reported once, with the newest xid it was seen at. Views whose blocks are no longer
     * consistent are skipped with a diagnostic naming the block.
     */
    public static List<Vanished> deletedAcrossHistory(ApfsContainer c, int index) throws IOException {
        ApfsVolume current = c.openVolume(index).strict();
        Map<String, FileEntry> now = index(current);
        Map<String, Vanished> best = new TreeMap<>();
        List<ApfsVolume> views = new ArrayList<>();
        for (ApfsCheckpoint cp : c.checkpoints()) {
            if (Long.compareUnsigned(cp.xid(), current.xid()) >= 0 || index >= cp.superblock().fsOids().size()) {
                continue;
            }
            try {
                views.add(c.openVolume(index, cp).strict());
            } catch (ParseException e) {
                c.io().diagnostics.add(Diagnostic.warning(c.io().sourceName, e.structure(), e.offset(),
                        "checkpoint xid " + cp.xid() + " is no longer consistent: " + e.getMessage()));
            }
        }
        try {
            for (ApfsSnapshot s : current.snapshots()) {
                views.add(current.openSnapshot(s));
            }
        } catch (ParseException e) {
            c.io().diagnostics.add(Diagnostic.warning(c.io().sourceName, e.structure(), e.offset(),
                    "snapshots unreadable: " + e.getMessage()));
        }
        for (ApfsVolume v : views) {
            List<Vanished> gone;
            try {
                gone = diff(now, v);
            } catch (ParseException e) {
                c.io().diagnostics.add(Diagnostic.warning(c.io().sourceName, e.structure(), e.offset(),
                        "view xid " + v.xid() + " is no longer consistent: " + e.getMessage()));
                continue;
            }
            for (Vanished g : gone) {
                Vanished prev = best.get(g.path());
                if (prev == null || Long.compareUnsigned(g.seenXid(), prev.seenXid()) > 0) {
                    best.put(g.path(), g);
                }
            }
        }
        return new ArrayList<>(best.values());
    }
}
