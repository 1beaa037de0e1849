package io.vestige.format.unifiedlog.tracev3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.format.unifiedlog.LogEvent;
import io.vestige.io.Diagnostics;
import io.vestige.io.ParseLimits;
import io.vestige.testing.Corpus;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oversize records (chunk 0x6002) hold the arguments of log records flagged 0x0800. The test moves
 * the oversize chunks of a real file into a second tracev3 file (recompressing the chunksets with
 * lz4-java) and checks that the second pass gives the same messages as the single file.
 */
@Tag("corpus")
class OversizeCorpusTest {

    static boolean oversizeFlag(LogEvent e) {
        return "logEvent".equals(e.eventType()) && ((e.traceID() >>> 16) & 0x800) != 0;
    }

    static byte[] chunk(int tag, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(16 + data.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(tag).putInt(0x11).putLong(data.length).put(data);
        int len = (int) Tracev3Reader.align8(16 + data.length);
        return Arrays.copyOf(b.array(), len);
    }

    static byte[] chunkset(byte[] raw) {
        byte[] comp = LZ4Factory.safeInstance().fastCompressor().compress(raw);
        ByteBuffer b = ByteBuffer.allocate(16 + comp.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(Chunkset.BV41).putInt(raw.length).putInt(comp.length).put(comp).putInt(Chunkset.BV4_END);
        return chunk(Chunkset.TAG, Arrays.copyOf(b.array(), b.position()));
    }

    @Test
    void secondPassAcrossFiles(@TempDir Path tmp) throws Exception {
        Path src = Corpus.file("unified-logs/dtformats/0000000000000f85.tracev3");
        Path uuidtext = Corpus.file("unified-logs/dtformats/uuidtext");
        byte[] f = Files.readAllBytes(src);
        Path single = tmp.resolve("single");
        copyTree(uuidtext, single.resolve("uuidtext"));
        Files.createDirectories(single.resolve("Special"));
        Files.write(single.resolve("Special/0000000000000001.tracev3"), f);
        List<LogEvent> wholeEvents = new ArrayList<>();
        io.vestige.format.unifiedlog.DecodeStats ws;
        try (UnifiedLogStore st = UnifiedLogStore.openLogarchive(single)) {
            ws = st.read(wholeEvents::add, new Diagnostics());
        }
        // f85 is one file of a larger store: one record refers to oversize data in a file that is not in the corpus
        assertEquals(Long.valueOf(1), ws.unsupported().get("oversize data not found"));
        // the format strings of this file are not in the corpus: compare the decoded arguments instead
        List<LogEvent> flagged = wholeEvents.stream().filter(OversizeCorpusTest::oversizeFlag).toList();
        assertFalse(flagged.isEmpty());
        assertEquals(flagged.size() - 1, flagged.stream().filter(e -> e.extra().get("formatArguments") instanceof List<?> l
                && !l.isEmpty()).count());
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        long o = 0;
        int moved = 0;
        while (o + 16 <= f.length) {
            int tag = Chunkset.le32(f, (int) o);
            int size = Chunkset.le32(f, (int) o + 8);
            byte[] whole16 = Arrays.copyOfRange(f, (int) o, (int) Math.min(f.length, Tracev3Reader.align8(o + 16 + size)));
            if (tag == Chunkset.TAG) {
                byte[] d = Chunkset.decompress(f, (int) o + 16, (int) o + 16 + size, o, ParseLimits.defaults());
                ByteArrayOutputStream keep = new ByteArrayOutputStream();
                ByteArrayOutputStream over = new ByteArrayOutputStream();
                int p = 0;
                while (p + 16 <= d.length) {
                    int t = Chunkset.le32(d, p);
                    int s = Chunkset.le32(d, p + 8);
                    int end = (int) Math.min(d.length, Tracev3Reader.align8(p + 16 + s));
                    (t == 0x6002 ? over : keep).write(d, p, end - p);
                    if (t == 0x6002) {
                        moved++;
                    }
                    p = end;
                }
                a.writeBytes(chunkset(keep.toByteArray()));
                if (over.size() > 0) {
                    b.writeBytes(chunkset(over.toByteArray()));
                }
            } else {
                a.writeBytes(whole16);
                b.writeBytes(whole16); // header and catalogs in both files
            }
            o = Tracev3Reader.align8(o + 16 + size);
        }
        assertTrue(moved > 0);
        Path splitDir = tmp.resolve("split");
        copyTree(uuidtext, splitDir.resolve("uuidtext"));
        Path persist = Files.createDirectories(splitDir.resolve("Persist"));
        Files.write(persist.resolve("0000000000000001.tracev3"), a.toByteArray());
        Files.write(persist.resolve("0000000000000002.tracev3"), b.toByteArray());
        List<LogEvent> split = new ArrayList<>();
        Diagnostics d = new Diagnostics();
        try (UnifiedLogStore st = UnifiedLogStore.openLogarchive(splitDir)) {
            st.read(split::add, d);
        }
        Map<Long, String> expect = new TreeMap<>();
        for (LogEvent e : flagged) {
            expect.put(e.machTimestamp() ^ e.threadID() * 31, String.valueOf(e.extra().get("formatArguments")));
        }
        Map<Long, String> got = new TreeMap<>();
        for (LogEvent e : split) {
            if (oversizeFlag(e)) {
                got.put(e.machTimestamp() ^ e.threadID() * 31, String.valueOf(e.extra().get("formatArguments")));
            }
        }
        assertEquals(flagged.size(), expect.size());
        assertEquals(expect, got);
        assertTrue(d.list().stream().noneMatch(x -> x.severity() != io.vestige.io.Diagnostic.Severity.INFO), d.list().toString());
        assertEquals(wholeEvents.size(), split.size());
    }

    static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
