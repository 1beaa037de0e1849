package io.vestige.format.tsk;

import io.vestige.evidence.EntryKind;
import io.vestige.evidence.FileEntry;
import io.vestige.evidence.FileSystem;
import io.vestige.evidence.FileTimes;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Renders a Vestige tree the way {@code fls -r -p -m /} renders TSK's, so the two can be compared line by line. */
final class TskTestSupport {
    private TskTestSupport() {
    }

    static List<FileEntry> walk(FileSystem fs) throws IOException {
        List<FileEntry> out = new ArrayList<>();
        walk(fs.root(), out, 0);
        return out;
    }

    private static void walk(FileEntry dir, List<FileEntry> out, int depth) throws IOException {
        if (depth > 64) {
            throw new IllegalStateException("too deep at " + dir.path());
        }
        for (FileEntry c : dir.children()) {
            out.add(c);
            if (c.isDirectory()) {
                walk(c, out, depth + 1);
            }
        }
    }

    /** One TSK 3.x bodyfile line: {@code MD5|name|inode|mode|uid|gid|size|atime|mtime|ctime|crtime}. */
    static String bodyLine(FileEntry e) {
        // fls prints control characters of names (the HFS+ private folder's trailing CR) as '^'
        String name = e.path().replaceAll("[\\x00-\\x1f]", "^");
        if (e.kind() == EntryKind.SYMLINK && e.linkTarget() != null) {
            name += " -> " + e.linkTarget();
        }
        FileTimes ts = e.times();
        return "0|" + name + "|" + e.inode() + "|" + typeLetters(e) + perms(e.mode()) + "|" + e.uid() + "|" + e.gid()
                + "|" + rawSize(e) + "|" + sec(ts.accessed()) + "|" + sec(ts.modified()) + "|" + sec(ts.changed()) + "|"
                + sec(ts.created());
    }

    /** fls's {@code name/meta} type letters, from TSK's own type codes kept in the entry's attributes. */
    static String typeLetters(FileEntry e) {
        String names = "-pcdbrlshwvV";
        String metas = "-rdpcblshwvV";
        Object n = e.attributes().get("tsk.nameType");
        Object m = e.attributes().get("tsk.metaType");
        char nc = n instanceof Integer i && i >= 0 && i < names.length() ? names.charAt(i) : e.kind().typeChar();
        char mc = m instanceof Integer i && i >= 0 && i < metas.length() ? metas.charAt(i) : e.kind().typeChar();
        return nc + "/" + mc;
    }

    /** {@code path|inode|n/m} of one entry, for comparison with plain {@code fls -r -p} lines. */
    static String nameLine(FileEntry e) {
        return e.path().substring(1).replaceAll("[\\x00-\\x1f]", "^") + "|" + e.inode() + "|" + typeLetters(e);
    }

    private static long rawSize(FileEntry e) {
        Object s = e.attributes().get("tsk.size");
        return s instanceof Long l ? l : e.size();
    }

    static long sec(Instant i) {
        return i == null ? 0 : i.getEpochSecond();
    }

    /** {@code ls -l} permission letters including set-id and sticky bits, as TSK prints them. */
    static String perms(int mode) {
        StringBuilder sb = new StringBuilder();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        if ((mode & 04000) != 0) {
            sb.setCharAt(2, sb.charAt(2) == 'x' ? 's' : 'S');
        }
        if ((mode & 02000) != 0) {
            sb.setCharAt(5, sb.charAt(5) == 'x' ? 's' : 'S');
        }
        if ((mode & 01000) != 0) {
            sb.setCharAt(8, sb.charAt(8) == 'x' ? 't' : 'T');
        }
        return sb.toString();
    }
}
