package io.vestige.format.unifiedlog.tracev3;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Renders an os_log format string with its decoded arguments the way {@code log show} prints
 * it: C printf conversions ({@code %d %i %u %x %X %o %c %s %p %f %e %g %@ %P %%}, flags, width,
 * precision, {@code *}, length modifiers) and Apple's {@code %{…}} decorations ({@code public},
 * {@code private}, {@code bool}, {@code BOOL}, {@code errno}, {@code time_t}, {@code uuid_t},
 * {@code network:in_addr}, {@code network:in6_addr}, {@code network:sockaddr}). Redacted arguments
 * print as {@code <private>}; missing ones as {@code <decode: missing data>} (FORMATS §6.3–6.4).
 */
public final class FormatRenderer {

    /** One argument of a log record. */
    public record Arg(Kind kind, byte[] bytes, String text) {
        public enum Kind { NUMBER, PRECISION, STRING, PRIVATE, NULL_OBJECT, BYTES }

        public static Arg number(byte[] le) {
            return new Arg(Kind.NUMBER, le, null);
        }

        public static Arg string(String s) {
            return new Arg(Kind.STRING, null, s);
        }

        public static Arg privateValue() {
            return new Arg(Kind.PRIVATE, null, null);
        }
    }

    /** The rendered text and whether every conversion had its argument and a known decoder. */
    public record Result(String text, boolean complete) {
    }

    static final String MISSING = "<decode: missing data>";
    static final String PRIVATE = "<private>";

    private FormatRenderer() {
    }

    /**
     * Renders {@code fmt}; {@code unsupported} receives the names of decorations this renderer does
     * not decode (the raw value is printed instead).
     */
    public static Result render(String fmt, List<Arg> args, Consumer<String> unsupported) {
        StringBuilder out = new StringBuilder(fmt.length() + 32);
        int ai = 0;
        boolean complete = true;
        int n = fmt.length();
        int i = 0;
        while (i < n) {
            char ch = fmt.charAt(i);
            if (ch != '%') {
                out.append(ch);
                i++;
                continue;
            }
            int start = i;
            i++;
            if (i >= n) {
                out.append('%');
                break;
            }
            if (fmt.charAt(i) == '%') {
                out.append('%');
                i++;
                continue;
            }
            String deco = null;
            if (fmt.charAt(i) == '{') {
                int close = fmt.indexOf('}', i);
                if (close < 0) {
                    out.append(fmt, start, n);
                    break;
                }
                deco = fmt.substring(i + 1, close);
                i = close + 1;
            }
            StringBuilder flags = new StringBuilder();
            while (i < n && "-+ #0'".indexOf(fmt.charAt(i)) >= 0) {
                flags.append(fmt.charAt(i));
                i++;
            }
            Integer width = null;
            boolean widthStar = false;
            if (i < n && fmt.charAt(i) == '*') {
                widthStar = true;
                i++;
            } else {
                int s = i;
                while (i < n && Character.isDigit(fmt.charAt(i))) {
                    i++;
                }
                if (i > s) {
                    width = parseIntSafe(fmt.substring(s, i));
                }
            }
            Integer precision = null;
            boolean precStar = false;
            if (i < n && fmt.charAt(i) == '.') {
                i++;
                if (i < n && fmt.charAt(i) == '*') {
                    precStar = true;
                    i++;
                } else {
                    int s = i;
                    while (i < n && Character.isDigit(fmt.charAt(i))) {
                        i++;
                    }
                    precision = i > s ? parseIntSafe(fmt.substring(s, i)) : 0;
                }
            }
            while (i < n && "hlqLjzt".indexOf(fmt.charAt(i)) >= 0) {
                i++;
            }
            if (i >= n) {
                out.append(fmt, start, n);
                break;
            }
            char conv = fmt.charAt(i);
            i++;
            if ("diouxXDOUcCsSpPfFeEgGaA@m".indexOf(conv) < 0) {
                out.append(fmt, start, i); // not a conversion: print as written
                continue;
            }
            if (conv == 'm') {
                out.append("%m");
                continue;
            }
            if (widthStar) {
                Arg w = ai < args.size() ? args.get(ai++) : null;
                if (w == null) {
                    complete = false;
                } else if (w.kind == Arg.Kind.NUMBER || w.kind == Arg.Kind.PRECISION) {
                    width = (int) Math.max(-4096, Math.min(4096, signed(w.bytes)));
                }
            }
            if (precStar) {
                Arg p = ai < args.size() ? args.get(ai++) : null;
                if (p == null) {
                    complete = false;
                } else if (p.kind == Arg.Kind.NUMBER || p.kind == Arg.Kind.PRECISION) {
                    precision = (int) Math.max(0, Math.min(1 << 20, signed(p.bytes)));
                }
            }
            if (precision != null && precision > 4096 && "sS@P".indexOf(conv) < 0) {
                precision = 4096; // numeric precision pads with zeros: keep hostile values from building huge strings
            }
            if (width != null && width < 0) {
                flags.append('-');
                width = -width;
            }
            Arg a = ai < args.size() ? args.get(ai++) : null;
            // a width/precision item the format did not ask for: skip to the value it precedes
            while (a != null && a.kind == Arg.Kind.PRECISION && ai < args.size()) {
                if (precision == null && "sSP@".indexOf(conv) >= 0) {
                    precision = (int) Math.max(0, Math.min(1 << 20, signed(a.bytes)));
                }
                a = args.get(ai++);
            }
            if (a == null) {
                out.append(MISSING);
                complete = false;
                continue;
            }
            String decoder = decoder(deco);
            String v;
            switch (a.kind) {
                case PRIVATE -> v = PRIVATE;
                case NULL_OBJECT -> v = pad("(null)", flags, width);
                case STRING -> {
                    String s = a.text == null ? "" : a.text;
                    if (precision != null && "sS".indexOf(conv) >= 0 && s.length() > precision) {
                        s = s.substring(0, precision);
                    }
                    v = pad(s, flags, width);
                }
                case BYTES -> v = bytes(a.bytes, decoder, conv, unsupported);
                default -> {
                    String dv = decoder == null ? null : decodeNumber(decoder, a.bytes, conv, unsupported);
                    v = dv != null ? pad(dv, flags, width) : number(a.bytes, conv, flags.toString(), width, precision);
                }
            }
            out.append(v);
        }
        return new Result(out.toString(), complete);
    }

    private static int parseIntSafe(String s) {
        try {
            return Math.min(4096, Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return 4096;
        }
    }

    /** The type decoder of a decoration ({@code bool}, {@code time_t} …), or {@code null}. */
    static String decoder(String deco) {
        if (deco == null) {
            return null;
        }
        for (String part : deco.split(",")) {
            String p = part.trim();
            if (p.isEmpty() || p.equals("public") || p.equals("private") || p.equals("sensitive")
                    || p.startsWith("mask.") || p.startsWith("name=") || p.startsWith("xcode:")) {
                continue;
            }
            return p;
        }
        return null;
    }

    static long signed(byte[] b) {
        long v = 0;
        int n = Math.min(8, b.length);
        for (int k = n - 1; k >= 0; k--) {
            v = v << 8 | (b[k] & 0xff);
        }
        if (n > 0 && n < 8 && (b[n - 1] & 0x80) != 0) {
            v |= -1L << (8 * n);
        }
        return v;
    }

    static long unsigned(byte[] b) {
        long v = 0;
        int n = Math.min(8, b.length);
        for (int k = n - 1; k >= 0; k--) {
            v = v << 8 | (b[k] & 0xff);
        }
        return v;
    }

    private static String number(byte[] b, char conv, String flags, Integer width, Integer precision) {
        switch (conv) {
            case 'd', 'i', 'D' -> {
                long v = signed(b);
                return integer(v < 0, Long.toUnsignedString(v < 0 ? -v : v), "", flags, width, precision);
            }
            case 'u', 'U' -> {
                return integer(false, Long.toUnsignedString(unsigned(b)), "", flags, width, precision);
            }
            case 'x', 'X', 'p' -> {
                long v = unsigned(b);
                String d = Long.toHexString(v);
                if (conv == 'X') {
                    d = d.toUpperCase(Locale.ROOT);
                }
                String prefix = conv == 'p' || (flags.indexOf('#') >= 0 && v != 0) ? (conv == 'X' ? "0X" : "0x") : "";
                return integer(false, d, prefix, flags, width, precision);
            }
            case 'o', 'O' -> {
                long v = unsigned(b);
                String d = Long.toOctalString(v);
                if (flags.indexOf('#') >= 0 && !d.startsWith("0")) {
                    d = "0" + d;
                }
                return integer(false, d, "", flags, width, precision);
            }
            case 'c', 'C' -> {
                long v = unsigned(b);
                String s = v == 0 ? "" : new String(Character.toChars((int) Math.min(0x10FFFF, v & (conv == 'c' ? 0xff : 0x1FFFFF))));
                return pad(s, new StringBuilder(flags), width);
            }
            case 'f', 'F', 'e', 'E', 'g', 'G', 'a', 'A' -> {
                double d = b.length == 4 ? Float.intBitsToFloat((int) unsigned(b)) : Double.longBitsToDouble(unsigned(b));
                return floating(d, conv, flags, width, precision);
            }
            default -> {
                // a number where a string/object was expected: print it as an integer
                return Long.toString(signed(b));
            }
        }
    }

    /** C integer formatting: precision = minimum digits, then sign/prefix, then width padding. */
    static String integer(boolean negative, String digits, String prefix, String flags, Integer width, Integer precision) {
        String d = digits;
        if (precision != null) {
            if (precision == 0 && d.equals("0")) {
                d = "";
            }
            if (d.length() < precision) {
                d = "0".repeat(precision - d.length()) + d;
            }
        }
        String sign = negative ? "-" : flags.indexOf('+') >= 0 ? "+" : flags.indexOf(' ') >= 0 ? " " : "";
        String body = sign + prefix + d;
        if (width != null && body.length() < width) {
            int padN = width - body.length();
            if (flags.indexOf('-') >= 0) {
                return body + " ".repeat(padN);
            }
            if (flags.indexOf('0') >= 0 && precision == null) {
                return sign + prefix + "0".repeat(padN) + d;
            }
            return " ".repeat(padN) + body;
        }
        return body;
    }

    private static String floating(double d, char conv, String flags, Integer width, Integer precision) {
        StringBuilder spec = new StringBuilder("%");
        for (char f : flags.toCharArray()) {
            if ("-+ 0#".indexOf(f) >= 0 && spec.indexOf(String.valueOf(f)) < 0) {
                spec.append(f);
            }
        }
        if (width != null && width > 0) {
            spec.append(width);
        }
        if (precision != null) {
            spec.append('.').append(precision);
        }
        char c = conv == 'F' ? 'f' : conv;
        spec.append(c);
        try {
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                String s = Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
                return pad(Character.isUpperCase(conv) ? s.toUpperCase(Locale.ROOT) : s, new StringBuilder(flags), width);
            }
            String s = String.format(Locale.ROOT, spec.toString(), d);
            if ((c == 'g' || c == 'G') && flags.indexOf('#') < 0) {
                s = stripG(s);
            }
            return s;
        } catch (java.util.IllegalFormatException e) {
            return Double.toString(d);
        }
    }

    /** C's %g drops trailing zeros of the fraction; Java's does not. */
    private static String stripG(String s) {
        String t = s.trim();
        int e = Math.max(t.indexOf('e'), t.indexOf('E'));
        String mant = e >= 0 ? t.substring(0, e) : t;
        String exp = e >= 0 ? t.substring(e) : "";
        if (mant.indexOf('.') >= 0) {
            mant = mant.replaceAll("0+$", "");
            if (mant.endsWith(".")) {
                mant = mant.substring(0, mant.length() - 1);
            }
        }
        String r = mant + exp;
        int lead = s.length() - s.stripLeading().length();
        return lead > 0 && r.length() < s.length() ? " ".repeat(s.length() - r.length()) + r : r;
    }

    static String pad(String s, CharSequence flags, Integer width) {
        if (width == null || s.length() >= width) {
            return s;
        }
        String sp = " ".repeat(width - s.length());
        return flags.toString().indexOf('-') >= 0 ? s + sp : sp + s;
    }

    private static String decodeNumber(String decoder, byte[] b, char conv, Consumer<String> unsupported) {
        switch (decoder) {
            case "bool":
                return unsigned(b) != 0 ? "true" : "false";
            case "BOOL":
                return unsigned(b) != 0 ? "YES" : "NO";
            case "errno", "darwin.errno": {
                long v = signed(b);
                String m = ERRNO.get((int) v);
                return "[" + v + ": " + (m == null ? "Unknown error: " + v : m) + "]";
            }
            case "time_t": {
                long v = signed(b);
                try {
                    LocalDateTime t = LocalDateTime.ofEpochSecond(v, 0, ZoneOffset.UTC);
                    return String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d+0000", t.getYear(), t.getMonthValue(),
                            t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
                } catch (java.time.DateTimeException e) {
                    return Long.toString(v);
                }
            }
            case "network:in_addr": {
                if (b.length < 4) {
                    return null;
                }
                return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
            }
            case "darwin.signal": {
                return "[sig" + signed(b) + "]";
            }
            default:
                unsupported.accept("decoder:" + decoder);
                return null;
        }
    }

    private static String bytes(byte[] b, String decoder, char conv, Consumer<String> unsupported) {
        if (b == null) {
            return MISSING;
        }
        if (decoder != null) {
            switch (decoder) {
                case "uuid_t":
                    if (b.length >= 16) {
                        long hi = 0;
                        long lo = 0;
                        for (int k = 0; k < 8; k++) {
                            hi = hi << 8 | (b[k] & 0xff);
                            lo = lo << 8 | (b[k + 8] & 0xff);
                        }
                        return new UUID(hi, lo).toString().toUpperCase(Locale.ROOT);
                    }
                    break;
                case "network:in6_addr":
                    if (b.length >= 16) {
                        return ipv6(b, 0);
                    }
                    break;
                case "network:in_addr":
                    if (b.length >= 4) {
                        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
                    }
                    break;
                case "network:sockaddr":
                    if (b.length >= 8 && (b[1] & 0xff) == 2) {
                        int port = (b[2] & 0xff) << 8 | (b[3] & 0xff);
                        return (b[4] & 0xff) + "." + (b[5] & 0xff) + "." + (b[6] & 0xff) + "." + (b[7] & 0xff)
                                + (port != 0 ? ":" + port : "");
                    }
                    if (b.length >= 24 && (b[1] & 0xff) == 30) {
                        int port = (b[2] & 0xff) << 8 | (b[3] & 0xff);
                        String a = ipv6(b, 8);
                        return port != 0 ? "[" + a + "]:" + port : a;
                    }
                    break;
                default:
                    unsupported.accept("decoder:" + decoder);
                    break;
            }
        }
        if (conv == 's' || conv == '@' || conv == 'S') {
            int e = 0;
            while (e < b.length && b[e] != 0) {
                e++;
            }
            return new String(b, 0, e, StandardCharsets.UTF_8);
        }
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    private static String ipv6(byte[] b, int o) {
        try {
            return java.net.InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, o, o + 16)).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "?";
        }
    }

    /** Darwin errno texts ({@code strerror}), for {@code %{errno}d}. */
    private static final Map<Integer, String> ERRNO = Map.ofEntries(
            Map.entry(0, "Undefined error: 0"), Map.entry(1, "Operation not permitted"),
            Map.entry(2, "No such file or directory"), Map.entry(3, "No such process"),
            Map.entry(4, "Interrupted system call"), Map.entry(5, "Input/output error"),
            Map.entry(6, "Device not configured"), Map.entry(7, "Argument list too long"),
            Map.entry(8, "Exec format error"), Map.entry(9, "Bad file descriptor"),
            Map.entry(10, "No child processes"), Map.entry(11, "Resource deadlock avoided"),
            Map.entry(12, "Cannot allocate memory"), Map.entry(13, "Permission denied"),
            Map.entry(14, "Bad address"), Map.entry(15, "Block device required"),
            Map.entry(16, "Resource busy"), Map.entry(17, "File exists"),
            Map.entry(18, "Cross-device link"), Map.entry(19, "Operation not supported by device"),
            Map.entry(20, "Not a directory"), Map.entry(21, "Is a directory"),
            Map.entry(22, "Invalid argument"), Map.entry(23, "Too many open files in system"),
            Map.entry(24, "Too many open files"), Map.entry(25, "Inappropriate ioctl for device"),
            Map.entry(26, "Text file busy"), Map.entry(27, "File too large"),
            Map.entry(28, "No space left on device"), Map.entry(29, "Illegal seek"),
            Map.entry(30, "Read-only file system"), Map.entry(31, "Too many links"),
            Map.entry(32, "Broken pipe"), Map.entry(33, "Numerical argument out of domain"),
            Map.entry(34, "Result too large"), Map.entry(35, "Resource temporarily unavailable"),
            Map.entry(36, "Operation now in progress"), Map.entry(37, "Operation already in progress"),
            Map.entry(38, "Socket operation on non-socket"), Map.entry(39, "Destination address required"),
            Map.entry(40, "Message too long"), Map.entry(41, "Protocol wrong type for socket"),
            Map.entry(42, "Protocol not available"), Map.entry(43, "Protocol not supported"),
            Map.entry(44, "Socket type not supported"), Map.entry(45, "Operation not supported"),
            Map.entry(46, "Protocol family not supported"), Map.entry(47, "Address family not supported by protocol family"),
            Map.entry(48, "Address already in use"), Map.entry(49, "Can't assign requested address"),
            Map.entry(50, "Network is down"), Map.entry(51, "Network is unreachable"),
            Map.entry(52, "Network dropped connection on reset"), Map.entry(53, "Software caused connection abort"),
            Map.entry(54, "Connection reset by peer"), Map.entry(55, "No buffer space available"),
            Map.entry(56, "Socket is already connected"), Map.entry(57, "Socket is not connected"),
            Map.entry(58, "Can't send after socket shutdown"), Map.entry(59, "Too many references: can't splice"),
            Map.entry(60, "Operation timed out"), Map.entry(61, "Connection refused"),
            Map.entry(62, "Too many levels of symbolic links"), Map.entry(63, "File name too long"),
            Map.entry(64, "Host is down"), Map.entry(65, "No route to host"),
            Map.entry(66, "Directory not empty"), Map.entry(67, "Too many processes"),
            Map.entry(68, "Too many users"), Map.entry(69, "Disc quota exceeded"),
            Map.entry(70, "Stale NFS file handle"), Map.entry(78, "Function not implemented"),
            Map.entry(79, "Inappropriate file type or format"), Map.entry(80, "Authentication error"),
            Map.entry(81, "Need authenticator"), Map.entry(82, "Device power is off"),
            Map.entry(83, "Device error"), Map.entry(84, "Value too large to be stored in data type"),
            Map.entry(85, "Bad executable (or shared library)"), Map.entry(86, "Bad CPU type in executable"),
            Map.entry(87, "Shared library version mismatch"), Map.entry(88, "Malformed Mach-o file"),
            Map.entry(89, "Operation canceled"), Map.entry(90, "Identifier removed"),
            Map.entry(91, "No message of desired type"), Map.entry(92, "Illegal byte sequence"),
            Map.entry(93, "Attribute not found"), Map.entry(94, "Bad message"),
            Map.entry(96, "No message available on STREAM"), Map.entry(100, "Protocol error"),
            Map.entry(102, "Operation not supported on socket"));
}
