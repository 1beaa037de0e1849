package io.vestige.format.unifiedlog.export;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

/** Parsing of the timestamp and UUID text that {@code log show} prints. */
final class LogTimestamps {
    private LogTimestamps() {
    }

    /**
     * Parses {@code 2024-01-02 03:04:05.123456-0800} (also with {@code T}, any number of fraction
     * digits up to 9, and {@code Z}, {@code +hh:mm} or {@code +hhmm} offsets).
     */
    static Instant parse(String s) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != ' ' && s.charAt(10) != 'T')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            throw new IllegalArgumentException("not a log timestamp: " + s);
        }
        int year = num(s, 0, 4);
        int month = num(s, 5, 7);
        int day = num(s, 8, 10);
        int hour = num(s, 11, 13);
        int min = num(s, 14, 16);
        int sec = num(s, 17, 19);
        int i = 19;
        int nano = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            int start = i;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 9) {
                throw new IllegalArgumentException("bad fraction in " + s);
            }
            nano = num(s, start, i);
            for (int k = digits; k < 9; k++) {
                nano *= 10;
            }
        }
        int offsetSeconds = 0;
        if (i < n) {
            char c = s.charAt(i);
            if (c == 'Z' && i == n - 1) {
                offsetSeconds = 0;
            } else if (c == '+' || c == '-') {
                String o = s.substring(i + 1).replace(":", "");
                if (o.length() != 4 && o.length() != 2) {
                    throw new IllegalArgumentException("bad offset in " + s);
                }
                int oh = num(o, 0, 2);
                int om = o.length() == 4 ? num(o, 2, 4) : 0;
                offsetSeconds = (oh * 3600 + om * 60) * (c == '-' ? -1 : 1);
            } else {
                throw new IllegalArgumentException("bad offset in " + s);
            }
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            long epoch = days * 86400 + hour * 3600L + min * 60L + sec - offsetSeconds;
            if (hour > 23 || min > 59 || sec > 60) {
                throw new IllegalArgumentException("bad time in " + s);
            }
            return Instant.ofEpochSecond(epoch, nano);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("bad date in " + s, e);
        }
    }

    static ZoneOffset offsetOf(String s) {
        int i = Math.max(s.lastIndexOf('+'), s.lastIndexOf('-'));
        if (i < 19) {
            return ZoneOffset.UTC;
        }
        String o = s.substring(i).replace(":", "");
        try {
            return ZoneOffset.of(o.length() == 5 ? o.substring(0, 3) + ":" + o.substring(3) : o);
        } catch (java.time.DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a digit at " + i + " in " + s);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** A UUID in the usual 8-4-4-4-12 form or as 32 hex digits, or {@code null}. */
    static UUID parseUuid(String s) {
        if (s == null) {
            return null;
        }
        String h = s.replace("-", "");
        if (h.length() != 32) {
            return null;
        }
        try {
            long hi = Long.parseUnsignedLong(h.substring(0, 16), 16);
            long lo = Long.parseUnsignedLong(h.substring(16), 16);
            return new UUID(hi, lo);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
