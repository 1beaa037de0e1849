package io.vestige.format.plist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.fixtures.plist.BinaryPlistWriter;
import io.vestige.io.BadMagicException;
import io.vestige.io.MalformedException;
import io.vestige.io.ParseException;
import io.vestige.io.TruncatedException;
import io.vestige.io.UnsupportedFormatException;
import io.vestige.testing.Corpus;
import io.vestige.testing.Tools;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertyListTest {
    @TempDir
    Path tmp;

    static final String HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n";

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void xmlInfoPlist() throws Exception {
        String xml = HEADER + "<plist version=\"1.0\">\n<dict>\n"
                + "  <key>CFBundleIdentifier</key>\n  <string>com.cisco.anyconnect.vpndownloader</string>\n"
                + "  <key>CFBundleExecutable</key><string>vpndownloader</string>\n"
                + "  <key>CFBundleShortVersionString</key><string>4.10.05085</string>\n"
                + "  <key>LSUIElement</key><true/>\n"
                + "  <key>Count</key><integer>-42</integer>\n"
                + "  <key>Big</key><integer>18446744073709551615</integer>\n"
                + "  <key>Hex</key><integer>0x10</integer>\n"
                + "  <key>Ratio</key><real>0.5</real>\n"
                + "  <key>Nan</key><real>nan</real>\n"
                + "  <key>When</key><date>2024-03-01T12:34:56Z</date>\n"
                + "  <key>Blob</key><data>\n\tAP8K\n\tcQ==\n</data>\n"
                + "  <key>Esc</key><string>a &amp; b &lt;c&gt; \u00e9</string>\n"
                + "  <key>Empty</key><string/>\n"
                + "  <key>List</key><array><false/><dict/><array/></array>\n"
                + "</dict>\n</plist>\n\u0000\u0000junk after the plist";
        byte[] withJunk = java.util.Arrays.copyOf(utf8(xml), utf8(xml).length + 2);
        withJunk[withJunk.length - 2] = (byte) 0xff; // not UTF-8, but after </plist>
        Map<String, Object> m = PropertyList.parseDict(withJunk);
        assertEquals("com.cisco.anyconnect.vpndownloader", m.get("CFBundleIdentifier"));
        assertEquals(-42L, m.get("Count"));
        assertEquals(new BigInteger("18446744073709551615"), m.get("Big"));
        assertEquals(16L, m.get("Hex"));
        assertEquals(0.5, m.get("Ratio"));
        assertTrue(((Double) m.get("Nan")).isNaN());
        assertEquals(Instant.parse("2024-03-01T12:34:56Z"), m.get("When"));
        assertArrayEquals(new byte[]{0, (byte) 0xff, 10, 0x71}, (byte[]) m.get("Blob"));
        assertEquals("a & b <c> \u00e9", m.get("Esc"));
        assertEquals("", m.get("Empty"));
        assertEquals(List.of(Boolean.FALSE, Map.of(), List.of()), m.get("List"));
        assertEquals(List.of("CFBundleIdentifier", "CFBundleExecutable", "CFBundleShortVersionString", "LSUIElement",
                "Count", "Big", "Hex", "Ratio", "Nan", "When", "Blob", "Esc", "Empty", "List"), List.copyOf(m.keySet()));
        InfoPlist info = InfoPlist.from(m);
        assertEquals("vpndownloader", info.executable());
        assertEquals("4.10.05085", info.shortVersion());
        assertEquals(Boolean.TRUE, info.uiElement());
        assertEquals(null, info.backgroundOnly());
    }

    @Test
    void encodings() throws Exception {
        String body = "<plist version=\"1.0\"><string>caf\u00e9 \u2603</string></plist>";
        byte[] be = ("\ufeff<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + body).getBytes(StandardCharsets.UTF_16BE);
        assertEquals("caf\u00e9 \u2603", PropertyList.parse(be));
        byte[] latin = ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><plist><string>caf\u00e9</string></plist>")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("caf\u00e9", PropertyList.parse(latin));
        byte[] bad = utf8("<plist><string>ab</string></plist>");
        bad[16] = (byte) 0xC3; // a lead byte followed by ASCII
        MalformedException e = assertThrows(MalformedException.class, () -> PropertyList.parse(bad));
        assertTrue(e.getMessage().contains("invalid UTF-8"), e.getMessage());
        assertEquals("x", PropertyList.parse(utf8("\ufeff  \n<plist><string>x</string></plist>")));
    }

    @Test
    void xxeIsNotResolved() throws Exception {
        Path secret = tmp.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String uri = secret.toUri().toString();
        String[] attacks = {
            "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY xxe SYSTEM \"" + uri + "\">]>"
                    + "<plist><string>&xxe;</string></plist>",
            "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY % p SYSTEM \"" + uri + "\"> %p;]>"
                    + "<plist><string>x</string></plist>",
            "<?xml version=\"1.0\"?><!DOCTYPE plist SYSTEM \"" + uri + "\"><plist><string>x</string></plist>",
        };
        for (String a : attacks) {
            try {
                Object o = PropertyList.parse(utf8(a));
                assertFalse(String.valueOf(o).contains("TOP-SECRET"), a);
            } catch (ParseException e) {
                assertFalse(e.getMessage().contains("TOP-SECRET"), e.getMessage());
            }
        }
    }

    @Test
    void billionLaughsIsRejectedQuickly() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY a0 \"lol\">");
        for (int i = 1; i < 30; i++) {
            sb.append("<!ENTITY a").append(i).append(" \"&a").append(i - 1).append(";&a").append(i - 1).append(";\">");
        }
        sb.append("]><plist><string>&a29;</string></plist>");
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ParseException.class, () -> PropertyList.parse(utf8(sb.toString()))));
    }

    @Test
    void malformedXml() {
        assertThrows(MalformedException.class, () -> PropertyList.parse(utf8(HEADER + "<plist><dict><key>a</key>")));
        assertThrows(MalformedException.class, () -> PropertyList.parse(utf8("<plist><dict><string>x</string></dict></plist>")));
        assertThrows(MalformedException.class, () -> PropertyList.parse(utf8("<plist><integer>12x</integer></plist>")));
        assertThrows(MalformedException.class, () -> PropertyList.parse(utf8("<plist><date>yesterday</date></plist>")));
        assertThrows(MalformedException.class, () -> PropertyList.parse(utf8("<plist><blob/></plist>")));
        assertThrows(BadMagicException.class, () -> PropertyList.parse(new byte[]{1, 2, 3}));
        assertThrows(UnsupportedFormatException.class, () -> PropertyList.parse(utf8("{ a = b; }")));
        String deep = "<plist>" + "<array>".repeat(PropertyList.MAX_DEPTH + 5) + "</array>".repeat(PropertyList.MAX_DEPTH + 5)
                + "</plist>";
        MalformedException e = assertThrows(MalformedException.class, () -> PropertyList.parse(utf8(deep)));
        assertTrue(e.getMessage().contains("nesting deeper"), e.getMessage());
    }

    static Map<String, Object> sample() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CFBundleIdentifier", "com.example.t\u00e9st");
        m.put("small", 7);
        m.put("u16", 40000);
        m.put("neg", -5L);
        m.put("max", Long.MAX_VALUE);
        m.put("huge", new BigInteger("18446744073709551615"));
        m.put("pi", 3.25);
        m.put("yes", true);
        m.put("when", Instant.parse("2024-03-01T12:34:56.5Z"));
        m.put("before2001", Instant.parse("1999-12-31T23:59:59Z"));
        m.put("data", new byte[]{0, 1, (byte) 0xfe});
        m.put("uid", new BinaryPlistWriter.Uid(300));
        m.put("nothing", null);
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            l.add("item" + i);
        }
        m.put("long list", l);
        return m;
    }

    @Test
    void binaryPlistFromOurWriter() throws Exception {
        Map<String, Object> m = PropertyList.parseDict(BinaryPlistWriter.write(sample()));
        assertEquals("com.example.t\u00e9st", m.get("CFBundleIdentifier"));
        assertEquals(7L, m.get("small"));
        assertEquals(40000L, m.get("u16"));
        assertEquals(-5L, m.get("neg"));
        assertEquals(Long.MAX_VALUE, m.get("max"));
        assertEquals(new BigInteger("18446744073709551615"), m.get("huge"));
        assertEquals(3.25, m.get("pi"));
        assertEquals(Boolean.TRUE, m.get("yes"));
        assertEquals(Instant.parse("2024-03-01T12:34:56.5Z"), m.get("when"));
        assertEquals(Instant.parse("1999-12-31T23:59:59Z"), m.get("before2001"));
        assertArrayEquals(new byte[]{0, 1, (byte) 0xfe}, (byte[]) m.get("data"));
        assertEquals(new PropertyList.Uid(300), m.get("uid"));
        assertEquals(PropertyList.Null.NULL, m.get("nothing"));
        assertEquals(20, ((List<?>) m.get("long list")).size());
        assertEquals("item19", ((List<?>) m.get("long list")).get(19));
    }

    @Test
    void binaryPlistFromPythonPlistlib() throws Exception {
        Tools.assume("python3", "python3");
        Path out = tmp.resolve("p.bplist");
        String script = "import plistlib, datetime, sys\n"
                + "d = {'CFBundleIdentifier': 'com.cisco.anyconnect.vpndownloader', 'n': -1, 'big': 2**40,"
                + " 'u': 2**64 - 1, 'f': 1.5, 'b': False, 'raw': b'\\x00\\xff' * 10,"
                + " 'when': datetime.datetime(2023, 5, 6, 7, 8, 9), 'uid': plistlib.UID(7),"
                + " 'arr': [1, 'two', [3]], 'uni': 'caf\\u00e9 \\u2603'}\n"
                + "open(sys.argv[1], 'wb').write(plistlib.dumps(d, fmt=plistlib.FMT_BINARY))\n";
        var r = Tools.run(List.of("python3", "-c", script, out.toString()));
        assertEquals(0, r.exitCode(), r.stderr());
        Map<String, Object> m = PropertyList.parseDict(Files.readAllBytes(out));
        assertEquals("com.cisco.anyconnect.vpndownloader", m.get("CFBundleIdentifier"));
        assertEquals(-1L, m.get("n"));
        assertEquals(1L << 40, m.get("big"));
        assertEquals(new BigInteger("18446744073709551615"), m.get("u"));
        assertEquals(1.5, m.get("f"));
        assertEquals(Boolean.FALSE, m.get("b"));
        assertEquals(20, ((byte[]) m.get("raw")).length);
        assertEquals(Instant.parse("2023-05-06T07:08:09Z"), m.get("when"));
        assertEquals(new PropertyList.Uid(7), m.get("uid"));
        assertEquals(List.of(1L, "two", List.of(3L)), m.get("arr"));
        assertEquals("caf\u00e9 \u2603", m.get("uni"));
    }

    /** bplist00 + objects + offset table + trailer, built by hand for hostile cases. */
    static byte[] bplist(byte[] objects, int[] offsets, int numObjects, int top) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(utf8("bplist00"));
        b.writeBytes(objects);
        int table = b.size();
        for (int o : offsets) {
            b.write(o);
        }
        b.writeBytes(new byte[6]);
        b.write(1); // offsetIntSize
        b.write(1); // objectRefSize
        b.writeBytes(be64(numObjects));
        b.writeBytes(be64(top));
        b.writeBytes(be64(table));
        return b.toByteArray();
    }

    static byte[] be64(long v) {
        byte[] r = new byte[8];
        for (int i = 0; i < 8; i++) {
            r[i] = (byte) (v >>> (56 - 8 * i));
        }
        return r;
    }

    @Test
    void cyclicReferenceIsRejected() {
        // object 0: array of one reference, to object 0
        byte[] p = bplist(new byte[]{(byte) 0xA1, 0}, new int[]{8}, 1, 0);
        MalformedException e = assertThrows(MalformedException.class, () -> PropertyList.parse(p));
        assertTrue(e.getMessage().contains("cyclic reference"), e.getMessage());
        // a dict whose value refers back to the dict through an array
        byte[] q = bplist(new byte[]{(byte) 0xD1, 1, 2, 0x51, 'k', (byte) 0xA1, 0}, new int[]{8, 11, 13}, 3, 0);
        assertThrows(MalformedException.class, () -> PropertyList.parse(q));
    }

    @Test
    void sharedObjectsAreDecodedOnce() throws Exception {
        // 40 levels of arrays each holding its successor twice: 2^40 leaves if expanded naively
        ByteArrayOutputStream objs = new ByteArrayOutputStream();
        int levels = 40;
        int[] offsets = new int[levels + 1];
        for (int i = 0; i < levels; i++) {
            offsets[i] = 8 + objs.size();
            objs.write(0xA2);
            objs.write(i + 1);
            objs.write(i + 1);
        }
        offsets[levels] = 8 + objs.size();
        objs.write(0x51);
        objs.write('x');
        byte[] p = bplist(objs.toByteArray(), offsets, levels + 1, 0);
        Object o = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> PropertyList.parse(p));
        Object cur = o;
        for (int i = 0; i < levels; i++) {
            cur = ((List<?>) cur).get(1);
        }
        assertEquals("x", cur);
    }

    @Test
    void hugeCountsAndBadTrailersFailCleanly() {
        // an array claiming 2^60 elements through an 8-byte count
        byte[] objs = new byte[12];
        objs[0] = (byte) 0xAF;
        objs[1] = 0x13;
        System.arraycopy(be64(1L << 60), 0, objs, 2, 8);
        assertThrows(MalformedException.class, () -> PropertyList.parse(bplist(objs, new int[]{8}, 1, 0)));
        // numObjects far beyond the file
        assertThrows(MalformedException.class, () -> PropertyList.parse(bplist(new byte[]{0x09}, new int[]{8},
                Integer.MAX_VALUE, 0)));
        // top object out of range
        assertThrows(MalformedException.class, () -> PropertyList.parse(bplist(new byte[]{0x09}, new int[]{8}, 1, 1)));
        // reference to a missing object
        assertThrows(MalformedException.class, () -> PropertyList.parse(bplist(new byte[]{(byte) 0xA1, 5}, new int[]{8},
                1, 0)));
        // string longer than the object area
        assertThrows(TruncatedException.class, () -> PropertyList.parse(bplist(new byte[]{0x5E, 'a'}, new int[]{8},
                1, 0)));
        // offset pointing into the trailer
        assertThrows(MalformedException.class, () -> PropertyList.parse(bplist(new byte[]{0x09}, new int[]{200}, 1, 0)));
        // truncated files
        byte[] good = BinaryPlistWriter.write(sample());
        for (int n : new int[]{0, 7, 8, 20, good.length / 2, good.length - 1}) {
            byte[] cut = java.util.Arrays.copyOf(good, n);
            assertThrows(ParseException.class, () -> PropertyList.parse(cut), "cut at " + n);
        }
        assertThrows(UnsupportedFormatException.class, () -> PropertyList.parse(utf8("bplist15xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")));
    }

    @Test
    void everyTruncationOfXmlFailsCleanly() {
        byte[] xml = utf8(HEADER + "<plist version=\"1.0\"><dict><key>a</key><array><integer>1</integer>"
                + "<data>AAEC</data></array></dict></plist>");
        for (int n = 0; n < xml.length - "</plist>".length(); n++) {
            byte[] cut = java.util.Arrays.copyOf(xml, n);
            assertThrows(ParseException.class, () -> PropertyList.parse(cut), "cut at " + n);
        }
    }

    @Test
    @Tag("corpus")
    void corpusInfoPlists() throws Exception {
        InfoPlist dev = InfoPlist.parse(Files.readAllBytes(Corpus.file(
                "macho-signed/developer-id/DevSignedApp.app-unzipped/DevSignedApp.app/Contents/Info.plist")));
        // facts from the corpus manifest: id=com.zoo.SignedApp
        assertEquals("com.zoo.SignedApp", dev.bundleIdentifier());
        assertEquals("SignedApp", dev.executable());
        InfoPlist ex = InfoPlist.parse(Files.readAllBytes(Corpus.file(
                "macho-signed/unsigned/BundleExample.app/Contents/Info.plist")));
        assertTrue(ex.bundleIdentifier() != null && !ex.bundleIdentifier().isEmpty());
    }

    @org.junit.jupiter.api.Test
    void renderIsCompactOrderedAndBounded() throws Exception {
        Object o = PropertyList.parse(("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>b</key><integer>2</integer>"
                + "<key>a</key><array><string>x</string><data>AAEC</data><true/></array></dict></plist>")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        org.junit.jupiter.api.Assertions.assertEquals("{b: 2, a: [x, <3 bytes>, true]}", PropertyList.render(o, 100));
        org.junit.jupiter.api.Assertions.assertEquals("{b: 2, \u2026", PropertyList.render(o, 7));
    }
}
