package io.vestige.codesign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.format.plist.PropertyList;
import io.vestige.io.ParseException;
import io.vestige.testing.Tools;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The property lists code signing reads (Info.plist, CodeResources, entitlements, the CMS cdhashes
 * attribute) through the shared {@link PropertyList}: XML (XXE-safe) and binary, checked against
 * Python's plistlib as an independent writer.
 */
class PlistReaderTest {

    @Test
    void binaryPlistFromPlistlib() throws Exception {
        Tools.assume("python3", "python3");
        String py = "import plistlib,sys,datetime\n"
                + "d={'CFBundleExecutable':'vpndownloader','CFBundleIdentifier':'com.cisco.anyconnect.vpndownloader',"
                + "'n':70000,'neg':-5,'big':2**40,'f':1.5,'t':True,'d':b'\\x00\\x01\\x02','u':'caf\\u00e9',"
                + "'a':[1,'two',False]*10,'when':datetime.datetime(2024,6,1,12,0,5)}\n"
                + "sys.stdout.buffer.write(plistlib.dumps(d,fmt=plistlib.FMT_BINARY))\n";
        byte[] b = Tools.run(List.of("python3", "-c", py)).stdout();
        Map<?, ?> m = (Map<?, ?>) PropertyList.parse(b);
        assertEquals("vpndownloader", m.get("CFBundleExecutable"));
        assertEquals("com.cisco.anyconnect.vpndownloader", m.get("CFBundleIdentifier"));
        assertEquals(70000L, m.get("n"));
        assertEquals(-5L, m.get("neg"));
        assertEquals(1L << 40, m.get("big"));
        assertEquals(1.5, m.get("f"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertArrayEquals(new byte[] {0, 1, 2}, (byte[]) m.get("d"));
        assertEquals("caf\u00e9", m.get("u"));
        assertEquals(30, ((List<?>) m.get("a")).size());
        assertEquals(Instant.parse("2024-06-01T12:00:05Z"), m.get("when"));
    }

    @Test
    void hostileBinaryPlists() {
        // a dict whose value refers to the dict itself: a cycle must stop at the depth bound
        ByteBuffer b = ByteBuffer.allocate(8 + 3 + 2 + 2 + 32);
        b.put("bplist00".getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 0xd1).put((byte) 1).put((byte) 0); // obj0 @8: dict {obj1: obj0}
        b.put((byte) 0x51).put((byte) 'k'); // obj1 @11: "k"
        b.put((byte) 8).put((byte) 11); // offset table @13
        b.put(new byte[6]).put((byte) 1).put((byte) 1).putLong(2).putLong(0).putLong(13);
        ParseException e = assertThrows(ParseException.class, () -> PropertyList.parse(b.array()));
        assertTrue(e.getMessage().contains("cycl"), e.getMessage());
        byte[] lying = b.array().clone();
        ByteBuffer.wrap(lying).putLong(lying.length - 24, Long.MAX_VALUE); // object count
        assertThrows(ParseException.class, () -> PropertyList.parse(lying));
        assertThrows(ParseException.class, () -> PropertyList.parse("bplist00".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void xmlEntitiesAreNotExpanded() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<plist version=\"1.0\"><dict><key>k</key><string>&x;</string></dict></plist>";
        assertThrows(ParseException.class, () -> PropertyList.parse(xxe.getBytes(StandardCharsets.UTF_8)));
        String ok = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                + "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\"><dict><key>a</key>"
                + "<array><integer>7</integer><real>2.5</real><true/><date>2024-06-01T12:00:00Z</date></array></dict></plist>";
        Object o;
        try {
            o = PropertyList.parse(ok.getBytes(StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
        assertEquals(Map.of("a", List.of(7L, 2.5, true, Instant.parse("2024-06-01T12:00:00Z"))), o);
    }
}
