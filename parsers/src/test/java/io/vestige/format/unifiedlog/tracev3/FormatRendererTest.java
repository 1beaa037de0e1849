package io.vestige.format.unifiedlog.tracev3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.format.unifiedlog.tracev3.FormatRenderer.Arg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected texts are what C printf / Apple's log print for the same format and value. */
class FormatRendererTest {
    static Arg i32(int v) {
        return Arg.number(new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)});
    }

    static Arg i64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return Arg.number(b);
    }

    static Arg prec(int v) {
        return new Arg(Arg.Kind.PRECISION, i32(v).bytes(), null);
    }

    static String r(String fmt, Arg... args) {
        List<String> uns = new ArrayList<>();
        return FormatRenderer.render(fmt, List.of(args), uns::add).text();
    }

    @Test
    void integers() {
        assertEquals("pid 123 uid -1", r("pid %d uid %d", i32(123), i32(-1)));
        assertEquals("4294967295", r("%u", i32(-1)));
        assertEquals("18446744073709551615", r("%llu", i64(-1)));
        assertEquals("ff FF 0xff 377", r("%x %X %#x %o", i32(255), i32(255), i32(255), i32(255)));
        assertEquals("0x7ffb4be160b0", r("%p", i64(0x7ffb4be160b0L)));
        assertEquals("  42|42  |00042|+42| 042", r("%4d|%-4d|%05d|%+d|%4.3d", i32(42), i32(42), i32(42), i32(42), i32(42)));
        assertEquals("-9223372036854775808", r("%lld", i64(Long.MIN_VALUE)));
        assertEquals("0x7ffb4be160b0: 200", r("%#lx: %d", i64(0x7ffb4be160b0L), i32(200))); // dtformats test values
        assertEquals("A", r("%c", i32('A')));
        assertEquals("100%", r("%d%%", i32(100)));
    }

    @Test
    void floats() {
        assertEquals("3.500000 1.5e+00 0.25", r("%f %.1e %g", i64(Double.doubleToLongBits(3.5)), i64(Double.doubleToLongBits(1.5)),
                i64(Double.doubleToLongBits(0.25))));
        assertEquals("~15m", r("~%2.0fm", i64(Double.doubleToLongBits(15.0))));
    }

    @Test
    void appleDecorations() {
        assertEquals("secret <private> shown", r("secret %{private}s %{public}s", Arg.privateValue(), Arg.string("shown")));
        assertEquals("true NO", r("%{bool}d %{BOOL}d", i32(1), i32(0)));
        assertEquals("[2: No such file or directory]", r("%{errno}d", i32(2)));
        assertEquals("2020-07-24 18:45:17+0000", r("%{time_t}d", i64(1595616317L)));
        assertEquals("10.0.0.1", r("%{network:in_addr}d", Arg.number(new byte[] {10, 0, 0, 1})));
        byte[] u = new byte[16];
        for (int i = 0; i < 16; i++) {
            u[i] = (byte) (0x10 + i);
        }
        assertEquals("10111213-1415-1617-1819-1A1B1C1D1E1F", r("%{uuid_t}.16P", prec(16), new Arg(Arg.Kind.BYTES, u, null)));
        assertEquals("obj (null)", r("obj %@", new Arg(Arg.Kind.NULL_OBJECT, null, null)));
        assertEquals("hello wor|  abc|abc  ", r("%.*s|%5s|%-5s", prec(9), Arg.string("hello world"), Arg.string("abc"), Arg.string("abc")));
        assertEquals("[    7]", r("[%*d]", prec(5), i32(7)));
    }

    @Test
    void missingArgumentsAndOddFormats() {
        FormatRenderer.Result res = FormatRenderer.render("a %d b %s", List.of(i32(1)), x -> { });
        assertEquals("a 1 b <decode: missing data>", res.text());
        assertFalse(res.complete());
        assertTrue(FormatRenderer.render("no args", List.of(), x -> { }).complete());
        assertEquals("50% done %", r("50%% done %"));
        assertEquals("50<decode: missing data>one", r("50% done")); // "% d" is a conversion in C too
        assertEquals("%{public", r("%{public"));
        assertEquals("%k", r("%k"));
        List<String> uns = new ArrayList<>();
        assertEquals("5", FormatRenderer.render("%{odtypes:mbr_type}d", List.of(i32(5)), uns::add).text());
        assertEquals(List.of("decoder:odtypes:mbr_type"), uns);
    }
}
