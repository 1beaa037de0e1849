package io.vestige.cli;

import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.OpenedEvidence;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Resolving a path inside opened evidence, across its file systems. */
final class EvidenceArg {
    private EvidenceArg() {
    }

    /** One match of a path: which file system (0-based) and the entry. */
    record Hit(int fsIndex, FileSystem fs, FileEntry entry) {
    }

    static List<Hit> lookup(OpenedEvidence ev, String path, Integer onlyFs) throws IOException {
        if (onlyFs != null && (onlyFs < 0 || onlyFs >= ev.fileSystems().size())) {
            throw new IllegalArgumentException("there is no file system " + onlyFs + " in " + ev.name() + " (it has "
                    + ev.fileSystems().size() + ", numbered from 0; see 'vestige info')");
        }
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < ev.fileSystems().size(); i++) {
            if (onlyFs != null && onlyFs != i) {
                continue;
            }
            FileSystem fs = ev.fileSystems().get(i);
            FileEntry e = fs.lookup(path);
            if (e != null) {
                hits.add(new Hit(i, fs, e));
            }
        }
        return hits;
    }
}
