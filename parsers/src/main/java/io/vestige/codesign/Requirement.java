package io.vestige.codesign;

import io.vestige.io.BadMagicException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.StructReader;
import io.vestige.io.TruncatedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One code requirement ({@code 0xfade0c00}: 0 magic, 4 length, 8 kind, 12 expression) decoded
 * into an expression tree, rendered in Apple's requirement language and evaluated against a
 * signature. Operands are big-endian: integers are u32, data is u32 length + bytes padded to 4.
 * Spec: FORMATS.md 5.6 (Security framework requirement op-codes).
 */
public record Requirement(long kind, Expr expression) {
    /** {@code kind} 1: an op-code expression (the only kind in use). */
    public static final long KIND_EXPRESSION = 1;

    static final int OP_FALSE = 0;
    static final int OP_TRUE = 1;
    static final int OP_IDENT = 2;
    static final int OP_APPLE_ANCHOR = 3;
    static final int OP_ANCHOR_HASH = 4;
    static final int OP_INFO_KEY_VALUE = 5;
    static final int OP_AND = 6;
    static final int OP_OR = 7;
    static final int OP_CDHASH = 8;
    static final int OP_NOT = 9;
    static final int OP_INFO_KEY_FIELD = 10;
    static final int OP_CERT_FIELD = 11;
    static final int OP_TRUSTED_CERT = 12;
    static final int OP_TRUSTED_CERTS = 13;
    static final int OP_CERT_GENERIC = 14;
    static final int OP_APPLE_GENERIC_ANCHOR = 15;
    static final int OP_ENTITLEMENT_FIELD = 16;
    static final int OP_CERT_POLICY = 17;
    static final int OP_NAMED_ANCHOR = 18;
    static final int OP_NAMED_CODE = 19;
    static final int OP_PLATFORM = 20;
    static final int OP_NOTARIZED = 21;
    static final int OP_CERT_FIELD_DATE = 22;
    static final int OP_LEGACY_DEVID = 23;
    /** High-byte flags of an op-code: unknown ops with this flag evaluate to false / are skipped. */
    static final int OP_FLAG_MASK = 0xff000000;
    static final int OP_GENERIC_FALSE = 0x80000000;
    static final int OP_GENERIC_SKIP = 0x40000000;

    /** Limits nesting so that a hostile blob cannot overflow the stack. */
    static final int MAX_DEPTH = 64;

    /** A requirement expression node. */
    public sealed interface Expr {
    }

    public record Const(boolean value) implements Expr {
    }

    public record And(Expr left, Expr right) implements Expr {
    }

    public record Or(Expr left, Expr right) implements Expr {
    }

    public record Not(Expr inner) implements Expr {
    }

    public record Ident(String identifier) implements Expr {
    }

    /** {@code anchor apple} (3) or {@code anchor apple generic} (15). */
    public record AppleAnchor(boolean generic) implements Expr {
    }

    public record AnchorHash(int certIndex, byte[] hash) implements Expr {
    }

    /** {@code certificate N trusted} (12) or {@code anchor trusted} (13). */
    public record TrustedCert(Integer certIndex) implements Expr {
    }

    public record CdHash(byte[] hash) implements Expr {
    }

    public record InfoKey(String key, Match match) implements Expr {
    }

    public record EntitlementKey(String key, Match match) implements Expr {
    }

    /** {@code certificate N[subject.CN] …} (11), {@code [field.OID]} (14), {@code [policy.OID]} (17), {@code [timestamp.OID]} (22). */
    public record CertField(int op, int certIndex, String field, Match match) implements Expr {
    }

    public record Named(boolean anchor, String name) implements Expr {
    }

    public record Platform(long platform) implements Expr {
    }

    public record Notarized() implements Expr {
    }

    public record LegacyDevId() implements Expr {
    }

    /** An op-code this reader does not know, kept so that the text shows it. */
    public record Unknown(long op) implements Expr {
    }

    /** A match operation: 0 exists, 1 =, 2 ~ (contains), 3 begins, 4 ends, 5 <, 6 >, 7 <=, 8 >=, 9-13 date ops, 14 absent. */
    public record Match(int op, byte[] value) {
    }

    /** Parses a single requirement blob. */
    public static Requirement parse(byte[] blob, long base) throws ParseException {
        StructReader r = StructReader.be(blob, base, "requirement");
        if (blob.length < 12) {
            throw new TruncatedException("requirement", base, 12, blob.length);
        }
        if (r.u32(0) != CodeSigning.CSMAGIC_REQUIREMENT) {
            throw new BadMagicException("requirement", base, "0xfade0c00", String.format("0x%08x", r.u32(0)));
        }
        long len = r.u32(4);
        if (len != blob.length) {
            throw new MalformedException("requirement", base + 4, "length " + len + " differs from " + blob.length);
        }
        long kind = r.u32(8);
        if (kind != KIND_EXPRESSION) {
            throw new MalformedException("requirement", base + 8, "unsupported kind " + kind);
        }
        int[] pos = {12};
        Expr e = expr(r, pos, 0);
        return new Requirement(kind, e);
    }

    private static Expr expr(StructReader r, int[] p, int depth) throws ParseException {
        if (depth > MAX_DEPTH) {
            throw new MalformedException("requirement", r.at(p[0]), "expression nested deeper than " + MAX_DEPTH);
        }
        long raw = u32(r, p);
        int op = (int) (raw & ~OP_FLAG_MASK & 0xffffffffL);
        switch (op) {
            case OP_FALSE:
                return new Const(false);
            case OP_TRUE:
                return new Const(true);
            case OP_IDENT:
                return new Ident(str(r, p));
            case OP_APPLE_ANCHOR:
                return new AppleAnchor(false);
            case OP_APPLE_GENERIC_ANCHOR:
                return new AppleAnchor(true);
            case OP_ANCHOR_HASH:
                return new AnchorHash((int) u32(r, p), data(r, p));
            case OP_INFO_KEY_VALUE:
                return new InfoKey(str(r, p), new Match(1, data(r, p)));
            case OP_AND:
                return new And(expr(r, p, depth + 1), expr(r, p, depth + 1));
            case OP_OR:
                return new Or(expr(r, p, depth + 1), expr(r, p, depth + 1));
            case OP_NOT:
                return new Not(expr(r, p, depth + 1));
            case OP_CDHASH:
                return new CdHash(data(r, p));
            case OP_INFO_KEY_FIELD:
                return new InfoKey(str(r, p), match(r, p));
            case OP_ENTITLEMENT_FIELD:
                return new EntitlementKey(str(r, p), match(r, p));
            case OP_CERT_FIELD:
                return new CertField(op, (int) u32(r, p), str(r, p), match(r, p));
            case OP_CERT_GENERIC:
            case OP_CERT_POLICY:
            case OP_CERT_FIELD_DATE: {
                int idx = (int) u32(r, p);
                return new CertField(op, idx, oid(data(r, p)), match(r, p));
            }
            case OP_TRUSTED_CERT:
                return new TrustedCert((int) u32(r, p));
            case OP_TRUSTED_CERTS:
                return new TrustedCert(null);
            case OP_NAMED_ANCHOR:
                return new Named(true, str(r, p));
            case OP_NAMED_CODE:
                return new Named(false, str(r, p));
            case OP_PLATFORM:
                return new Platform(u32(r, p));
            case OP_NOTARIZED:
                return new Notarized();
            case OP_LEGACY_DEVID:
                return new LegacyDevId();
            default:
                // an unknown op cannot be skipped without knowing its operands; only the trailing
                // position of the expression is safe
                return new Unknown(raw);
        }
    }

    private static Match match(StructReader r, int[] p) throws ParseException {
        int op = (int) u32(r, p);
        if (op == 0 || op == 14) {
            return new Match(op, null);
        }
        if (op < 0 || op > 14) {
            throw new MalformedException("requirement match", r.at(p[0] - 4), "unknown match op " + op);
        }
        if (op >= 9) {
            // date comparisons carry a CFAbsoluteTime as 8 raw bytes
            byte[] v = r.bytes(p[0], 8);
            p[0] += 8;
            return new Match(op, v);
        }
        return new Match(op, data(r, p));
    }

    private static long u32(StructReader r, int[] p) throws ParseException {
        long v = r.u32(p[0]);
        p[0] += 4;
        return v;
    }

    private static byte[] data(StructReader r, int[] p) throws ParseException {
        long len = u32(r, p);
        if (len > r.length() - p[0]) {
            throw new MalformedException("requirement data", r.at(p[0] - 4), "length " + len + " exceeds the "
                    + (r.length() - p[0]) + " remaining bytes");
        }
        byte[] v = r.bytes(p[0], (int) len);
        p[0] += (int) ((len + 3) & ~3L);
        return v;
    }

    private static String str(StructReader r, int[] p) throws ParseException {
        return new String(data(r, p), StandardCharsets.UTF_8);
    }

    /** Decodes a DER OID body (no tag/length) to dotted text. */
    static String oid(byte[] b) {
        if (b.length == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        int first = b[0] & 0xff;
        // only single-byte first components occur in practice (1.2.840…)
        sb.append(first / 40).append('.').append(first % 40);
        long v = 0;
        for (int i = 1; i < b.length; i++) {
            v = (v << 7) | (b[i] & 0x7f);
            if ((b[i] & 0x80) == 0) {
                sb.append('.').append(v);
                v = 0;
            }
            if (v > (1L << 56)) {
                return "?";
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ rendering

    /** Apple's text form, e.g. {@code identifier "com.x" and anchor apple generic and certificate leaf[subject.OU] = ABC}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        render(expression, sb, 0);
        return sb.toString();
    }

    // precedence: or 1, and 2, not/primary 3
    private static void render(Expr e, StringBuilder sb, int outer) {
        if (e instanceof And a) {
            boolean paren = outer > 2;
            if (paren) {
                sb.append('(');
            }
            render(a.left(), sb, 2);
            sb.append(" and ");
            render(a.right(), sb, 2);
            if (paren) {
                sb.append(')');
            }
        } else if (e instanceof Or o) {
            boolean paren = outer > 1;
            if (paren) {
                sb.append('(');
            }
            render(o.left(), sb, 1);
            sb.append(" or ");
            render(o.right(), sb, 1);
            if (paren) {
                sb.append(')');
            }
        } else if (e instanceof Not n) {
            sb.append("! ");
            render(n.inner(), sb, 3);
        } else if (e instanceof Const c) {
            sb.append(c.value() ? "always" : "never");
        } else if (e instanceof Ident i) {
            sb.append("identifier ").append(quoted(i.identifier()));
        } else if (e instanceof AppleAnchor a) {
            sb.append(a.generic() ? "anchor apple generic" : "anchor apple");
        } else if (e instanceof AnchorHash h) {
            sb.append(h.certIndex() == -1 ? "anchor" : "certificate " + certName(h.certIndex()))
                    .append(" = H\"").append(HexFormat.of().formatHex(h.hash())).append('"');
        } else if (e instanceof TrustedCert t) {
            sb.append(t.certIndex() == null ? "anchor trusted" : "certificate " + certName(t.certIndex()) + " trusted");
        } else if (e instanceof CdHash c) {
            sb.append("cdhash H\"").append(HexFormat.of().formatHex(c.hash())).append('"');
        } else if (e instanceof InfoKey k) {
            sb.append("info[").append(simpleOrQuoted(k.key())).append(']');
            renderMatch(k.match(), sb);
        } else if (e instanceof EntitlementKey k) {
            sb.append("entitlement[").append(quoted(k.key())).append(']');
            renderMatch(k.match(), sb);
        } else if (e instanceof CertField f) {
            String prefix = switch (f.op()) {
                case OP_CERT_GENERIC -> "field.";
                case OP_CERT_POLICY -> "policy.";
                case OP_CERT_FIELD_DATE -> "timestamp.";
                default -> "";
            };
            sb.append("certificate ").append(certName(f.certIndex())).append('[').append(prefix).append(f.field()).append(']');
            renderMatch(f.match(), sb);
        } else if (e instanceof Named n) {
            sb.append(n.anchor() ? "anchor apple " : "(").append(n.anchor() ? n.name() : n.name() + ")");
        } else if (e instanceof Platform p) {
            sb.append("platform = ").append(p.platform());
        } else if (e instanceof Notarized) {
            sb.append("notarized");
        } else if (e instanceof LegacyDevId) {
            sb.append("legacy");
        } else if (e instanceof Unknown u) {
            sb.append("/* unknown op 0x").append(Long.toHexString(u.op())).append(" */");
        }
    }

    private static void renderMatch(Match m, StringBuilder sb) {
        String v = m.value() == null ? null : value(m.value());
        switch (m.op()) {
            case 0 -> sb.append(" /* exists */");
            case 14 -> sb.append(" /* absent */");
            case 1 -> sb.append(" = ").append(v);
            case 2 -> sb.append(" ~ ").append(v);
            case 3 -> sb.append(" = ").append(v).append('*');
            case 4 -> sb.append(" = *").append(v);
            case 5 -> sb.append(" < ").append(v);
            case 6 -> sb.append(" > ").append(v);
            case 7 -> sb.append(" <= ").append(v);
            case 8 -> sb.append(" >= ").append(v);
            default -> sb.append(" date-op ").append(m.op()).append(" H\"").append(HexFormat.of().formatHex(m.value())).append('"');
        }
    }

    private static String certName(int idx) {
        return idx == 0 ? "leaf" : idx == -1 ? "root" : Integer.toString(idx);
    }

    private static String value(byte[] b) {
        for (byte x : b) {
            if (x < 0x20 || x == 0x7f) {
                return "H\"" + HexFormat.of().formatHex(b) + "\"";
            }
        }
        return simpleOrQuoted(new String(b, StandardCharsets.UTF_8));
    }

    /** Apple prints plain alphanumeric words unquoted (team IDs) and everything else quoted. */
    private static String simpleOrQuoted(String s) {
        if (!s.isEmpty() && Character.isLetter(s.charAt(0)) && s.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
            return s;
        }
        return quoted(s);
    }

    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Collects every sub-expression, depth first (for tests and evaluation reports). */
    public List<Expr> flatten() {
        List<Expr> out = new ArrayList<>();
        flatten(expression, out, 0);
        return out;
    }

    private static void flatten(Expr e, List<Expr> out, int d) {
        if (d > MAX_DEPTH) {
            return;
        }
        out.add(e);
        if (e instanceof And a) {
            flatten(a.left(), out, d + 1);
            flatten(a.right(), out, d + 1);
        } else if (e instanceof Or o) {
            flatten(o.left(), out, d + 1);
            flatten(o.right(), out, d + 1);
        } else if (e instanceof Not n) {
            flatten(n.inner(), out, d + 1);
        }
    }
}
