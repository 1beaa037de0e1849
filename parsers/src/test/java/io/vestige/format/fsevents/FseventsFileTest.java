package io.vestige.format.fsevents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.EvidencePath;
import io.vestige.fixtures.logs.FseventsWriter;
import io.vestige.io.ByteSource;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostics;
import io.vestige.io.LimitExceededException;
import io.vestige.io.ParseLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FseventsFileTest {
    static List<FseventsWriter.Record> records() {
        List<FseventsWriter.Record> l = new ArrayList<>();
        l.add(new FseventsWriter.Record("private/tmp/vpn.x1y2z3", 0x1000, FseventsWriter.CREATED | FseventsWriter.IS_DIR, 501));
        l.add(new FseventsWriter.Record("private/tmp/vpn.x1y2z3/vpndownloader.app/Contents/MacOS/vpndownloader", 0x1001,
                FseventsWriter.CREATED | FseventsWriter.MODIFIED | FseventsWriter.IS_FILE, 502));
        l.add(new FseventsWriter.Record("", 0x1002, 0x2000000, 2));
        l.add(new FseventsWriter.Record("private/tmp/vpn.x1y2z3", 0x1003, FseventsWriter.REMOVED | FseventsWriter.IS_DIR, 501));
        return l;
    }

    static List<FseventsRecord> read(byte[] b, Diagnostics d, FseventsFile.Summary[] s) throws Exception {
        List<FseventsRecord> out = new ArrayList<>();
        FseventsFile.Summary sum = FseventsFile.read(ByteSources.wrap(b), "f", EvidencePath.ofFile("f"),
                ParseLimits.defaults(), d, out::add);
        if (s != null) {
            s[0] = sum;
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"1,true", "2,true", "3,true", "1,false", "2,false", "3,false"})
    void versions(int version, boolean gzip) throws Exception {
        byte[] raw = FseventsWriter.pages(version, records(), 3);
        byte[] b = gzip ? FseventsWriter.gzip(raw) : raw;
        assertTrue(FseventsFile.probe(ByteSources.wrap(b)));
        Diagnostics d = new Diagnostics();
        FseventsFile.Summary[] s = new FseventsFile.Summary[1];
        List<FseventsRecord> r = read(b, d, s);
        assertTrue(d.isEmpty(), d.list().toString());
        assertEquals(4, r.size());
        assertEquals(2, s[0].pages());
        assertEquals(gzip, s[0].gzip());
        assertEquals(raw.length, s[0].decompressedBytes());
        assertEquals("private/tmp/vpn.x1y2z3/vpndownloader.app/Contents/MacOS/vpndownloader", r.get(1).path());
        assertEquals(0x1001, r.get(1).eventId());
        assertEquals(List.of("Created", "Modified", "IsFile"), r.get(1).flagNames());
        assertEquals(List.of("Removed", "IsDir"), r.get(3).flagNames());
        assertEquals("", r.get(2).path());
        assertEquals(List.of("Mount"), r.get(2).flagNames());
        assertEquals(version >= 2 ? Long.valueOf(502) : null, r.get(1).nodeId());
        assertEquals(version >= 3 ? Long.valueOf(0) : null, r.get(1).extra());
        assertEquals(version, r.get(0).version());
        assertEquals("0000000000001004", FseventsWriter.fileName(records()));
    }

    @Test
    void concatenatedGzipMembers() throws Exception {
        byte[] a = FseventsWriter.gzip(FseventsWriter.pages(2, records().subList(0, 2), 10));
        byte[] b = FseventsWriter.gzip(FseventsWriter.pages(2, records().subList(2, 4), 10));
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        Diagnostics d = new Diagnostics();
        assertEquals(4, read(both, d, null).size());
        assertTrue(d.isEmpty());
    }

    @Test
    void truncatedGzipKeepsRecords() throws Exception {
        List<FseventsWriter.Record> many = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            many.add(new FseventsWriter.Record("some/long/path/number/" + i + "/" + "x".repeat(i % 50), 10_000 + i, 0x800011, i));
        }
        byte[] gz = FseventsWriter.gzip(FseventsWriter.pages(2, many, 500));
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        Diagnostics d = new Diagnostics();
        FseventsFile.Summary[] s = new FseventsFile.Summary[1];
        List<FseventsRecord> r = read(cut, d, s);
        assertFalse(d.isEmpty());
        assertFalse(s[0].complete());
        assertTrue(r.size() > 500 && r.size() < 2000, "records kept: " + r.size());
        for (int i = 0; i < r.size(); i++) {
            assertEquals(10_000 + i, r.get(i).eventId());
        }
    }

    @Test
    void badSignature() throws Exception {
        byte[] raw = FseventsWriter.pages(2, records(), 10);
        raw[0] = '9';
        assertFalse(FseventsFile.probe(ByteSources.wrap(raw)));
        Diagnostics d = new Diagnostics();
        assertEquals(0, read(raw, d, null).size());
        assertTrue(d.list().get(0).message().contains("bad signature"));
    }

    @Test
    void hugePageSizeIsRefused() throws Exception {
        byte[] raw = FseventsWriter.pages(2, records(), 10);
        raw[8] = (byte) 0xff;
        raw[9] = (byte) 0xff;
        raw[10] = (byte) 0xff;
        raw[11] = (byte) 0x7f;
        assertThrows(LimitExceededException.class, () -> read(raw, new Diagnostics(), null));
    }

    @Test
    void lyingPageSizeSmallerThanHeader() throws Exception {
        byte[] raw = FseventsWriter.pages(1, records(), 10);
        raw[8] = 4;
        raw[9] = 0;
        raw[10] = 0;
        raw[11] = 0;
        Diagnostics d = new Diagnostics();
        assertEquals(0, read(raw, d, null).size());
        assertEquals(1, d.list().size());
    }

    @Test
    void recordCutInsidePage() throws Exception {
        byte[] raw = FseventsWriter.pages(2, records(), 10);
        byte[] cut = Arrays.copyOf(raw, raw.length - 5);
        Diagnostics d = new Diagnostics();
        assertEquals(3, read(cut, d, null).size());
        assertFalse(d.isEmpty());
    }

    @Test
    void storeSkipsUuidAndAppleDouble(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(".fseventsd"));
        Files.write(dir.resolve(FseventsWriter.fileName(records())), FseventsWriter.gzip(FseventsWriter.pages(2, records(), 10)));
        Files.writeString(dir.resolve("fseventsd-uuid"), "1234");
        Files.write(dir.resolve("._0000000000001004"), new byte[] {0, 5, 22, 7});
        List<FseventsRecord> r = new ArrayList<>();
        Diagnostics d = new Diagnostics();
        List<FseventsStore.FileInfo> files = FseventsStore.read(io.vestige.format.dir.DirectoryFileSystem.of(tmp),
                ParseLimits.defaults(), d, r::add);
        assertEquals(1, files.size());
        assertEquals(4, r.size());
        assertEquals("/.fseventsd/0000000000001004", files.get(0).path());
        assertTrue(d.isEmpty(), d.list().toString());
        assertNull(FseventsFile.probe(ByteSources.wrap(new byte[0])) ? "x" : null);
    }

    static ByteSource src(byte[] b) {
        return ByteSources.wrap(b);
    }
}
