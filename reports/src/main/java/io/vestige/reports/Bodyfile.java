package io.vestige.reports;

import java.time.Instant;

/**
 * The Sleuth Kit's bodyfile (3.x) line: {@code MD5|name|inode|mode|UID|GID|size|atime|mtime|ctime|crtime},
 * times in seconds since 1970 ({@code 0} where unknown), as {@code fls -m} and {@code mactime} use it.
 * With {@code fractional} the times carry nine decimals, as TSK 4.12+ writes them.
 */
public final class Bodyfile {
    private Bodyfile() {
    }

    public static String line(String md5, String name, long inode, String mode, long uid, long gid, long size,
                              Instant atime, Instant mtime, Instant ctime, Instant crtime, boolean fractional) {
        return String.join("|", md5 == null ? "0" : md5, clean(name),
                Long.toString(Math.max(0, inode)), mode, Long.toString(Math.max(0, uid)), Long.toString(Math.max(0, gid)),
                Long.toString(size), t(atime, fractional), t(mtime, fractional), t(ctime, fractional), t(crtime, fractional));
    }

    /** Like {@code fls -m}: a '|' is escaped and control characters (CR, LF …) become '^' so that a line stays one record. */
    static String clean(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '|') {
                sb.append("\\|");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append('^');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static String t(Instant i, boolean fractional) {
        if (i == null) {
            return "0";
        }
        return fractional ? String.format("%d.%09d", i.getEpochSecond(), i.getNano()) : Long.toString(i.getEpochSecond());
    }
}
