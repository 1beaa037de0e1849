package io.vestige.format.unifiedlog.tracev3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.EvidencePath;
import io.vestige.format.unifiedlog.DecodeStats;
import io.vestige.format.unifiedlog.LogEvent;
import io.vestige.io.ByteSources;
import io.vestige.io.Diagnostics;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Tracepoint bodies from libyal/dtformats' tests ({@code tests/unified_logging.py}: activity,
 * log, loss and trace data with the flags used there), wrapped in a minimal header, catalog and
 * chunkset, must decode to the values dtformats asserts.
 */
class TracepointVectorsTest {
    static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    static final byte[] ACTIVITY = HEX.parseHex("e0 00 00 00 00 00 00 80 3b 00 00 00 00 00 00 00 e0 00 00 00 00 00 00 80 e1 00 00 00 00 00 00 80 48 7e 04 00");
    static final byte[] LOG = HEX.parseHex("6c 86 03 00 06 00 08 23 01 41 04 00 00 00 00");
    static final byte[] LOSS = HEX.parseHex("ce 9a 31 07 00 00 00 00 95 aa ef 56 00 00 00 00 3f 00 00 00 00 00 00 00");
    static final byte[] TRACE = HEX.parseHex("f6 21 01 00 b0 60 e1 4b fb 7f 00 00 c8 00 00 00 00 00 00 00 08 08 02");

    static void chunk(ByteArrayOutputStream out, int tag, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate((int) Tracev3Reader.align8(16 + data.length)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(tag).putInt(0x11).putLong(data.length).put(data);
        out.writeBytes(b.array());
    }

    static void tracepoint(ByteBuffer b, int rec, int logType, int flags, long delta, byte[] data) {
        b.put((byte) rec).put((byte) logType).putShort((short) flags).putInt(0x1234).putLong(0x99).putInt((int) delta)
                .putShort((short) 0).putShort((short) data.length).put(data);
        while (b.position() % 8 != 0) {
            b.put((byte) 0);
        }
    }

    static byte[] file() {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(40 + 24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(1).putInt(1).putLong(1000).putLong(1_700_000_000L).putInt(0).putInt(0).putInt(0).putInt(0);
        h.putInt(0x6102).putInt(16).order(ByteOrder.BIG_ENDIAN).putLong(0x1111222233334444L).putLong(0x5555666677778888L); // UUIDs are big-endian bytes
        chunk(f, Tracev3Header.TAG, h.array());
        // catalog: one UUID, strings "sub\0cat\0", one process (proc ids 1/2, pid 59) with subsystem 6
        ByteBuffer c = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        byte[] strings = "sub\0cat\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        c.putShort((short) 16).putShort((short) (16 + strings.length)).putShort((short) 1).putShort((short) 0).putShort((short) 0);
        c.put(new byte[6]).putLong(0);
        c.order(ByteOrder.BIG_ENDIAN).putLong(0x0123456789abcdefL).putLong(0x0fedcba987654321L).order(ByteOrder.LITTLE_ENDIAN).put(strings);
        c.putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0xffff).putLong(1).putInt(2).putInt(59)
                .putInt(501).putInt(0).putInt(0).putInt(0);
        c.putInt(1).putInt(0).putShort((short) 6).putShort((short) 0).putShort((short) 4).putShort((short) 0);
        byte[] cat = java.util.Arrays.copyOf(c.array(), c.position());
        chunk(f, Catalog.TAG, cat);
        ByteBuffer fh = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        fh.putInt(0x6001).putInt(0).putLong(0).putLong(1).putInt(2).put((byte) 0).put((byte) 0).putShort((short) 0);
        int sizeAt = fh.position();
        fh.putShort((short) 0).putShort((short) 0x1000).putShort((short) 0).putShort((short) 0).putLong(5000);
        tracepoint(fh, 2, 0x01, 0x0213, 10, ACTIVITY);
        tracepoint(fh, 4, 0x00, 0x0602, 20, LOG);
        tracepoint(fh, 7, 0x00, 0x0000, 30, LOSS);
        tracepoint(fh, 3, 0x00, 0x0000, 40, TRACE);
        int end = fh.position();
        fh.putShort(sizeAt, (short) (end - 48 + 16));
        fh.putLong(8, end - 16);
        byte[] raw = java.util.Arrays.copyOf(fh.array(), end);
        ByteBuffer cs = ByteBuffer.allocate(raw.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        cs.putInt(Chunkset.BV4_STORED).putInt(raw.length).put(raw).putInt(Chunkset.BV4_END);
        chunk(f, Chunkset.TAG, java.util.Arrays.copyOf(cs.array(), cs.position()));
        return f.toByteArray();
    }

    @Test
    void dtformatsVectors() throws Exception {
        List<LogEvent> ev = new ArrayList<>();
        Diagnostics d = new Diagnostics();
        DecodeStats s = UnifiedLogStore.readFile(ByteSources.wrap(file()), EvidencePath.ofFile("vectors"), null, ev::add, d);
        assertEquals(0, s.decodeErrors(), d.list().toString());
        assertEquals(4, ev.size());
        LogEvent act = ev.get(0);
        assertEquals("activityCreateEvent", act.eventType());
        assertEquals(0xE1L, act.activityIdentifier()); // dtformats: new activity identifier 0x80000000000000E1
        assertEquals(0xE0L, act.parentActivityIdentifier()); // current activity identifier 0x80000000000000E0
        assertEquals(59L, act.extra().get("uniquePID"));
        assertEquals(0x47E48L, act.senderProgramCounter()); // load_address_lower
        LogEvent log = ev.get(1);
        assertEquals("logEvent", log.eventType());
        assertEquals("Default", log.messageType());
        assertEquals("sub", log.subsystem()); // subsystem id 6 in the catalog
        assertEquals("cat", log.category());
        assertEquals(0x3866CL, log.senderProgramCounter());
        assertEquals(List.of("<private>"), log.extra().get("formatArguments")); // one private item (0x41, size 0)
        assertEquals(59L, log.processID());
        assertEquals(501L, log.userID());
        assertEquals(new UUID(0x0123456789abcdefL, 0x0fedcba987654321L), log.processImageUUID());
        assertEquals(new UUID(0x1111222233334444L, 0x5555666677778888L), log.bootUUID());
        assertEquals(0x1234L << 32 | 0x0602L << 16 | 4, log.traceID());
        LogEvent loss = ev.get(2);
        assertEquals("lossEvent", loss.eventType());
        assertEquals(63L, loss.extra().get("lossCount"));
        assertEquals(120691406L, loss.extra().get("lossStartMachContinuousTimestamp"));
        assertEquals(1458547349L, loss.extra().get("lossEndMachContinuousTimestamp"));
        LogEvent trace = ev.get(3);
        assertEquals("traceEvent", trace.eventType());
        assertEquals(0x121F6L, trace.senderProgramCounter());
        assertEquals(List.of(Long.toString(0x7ffb4be160b0L), "200"), trace.extra().get("formatArguments"));
        // rendered with the format dtformats uses for these values
        FormatRenderer.Result r = FormatRenderer.render("%#lx: %d",
                List.of(FormatRenderer.Arg.number(java.util.Arrays.copyOfRange(TRACE, 4, 12)),
                        FormatRenderer.Arg.number(java.util.Arrays.copyOfRange(TRACE, 12, 20))), x -> { });
        assertEquals("0x7ffb4be160b0: 200", r.text());
        // times: header wall 1700000000 s at continuous 1000; base 5000 + delta (timebase 1/1 = ns)
        assertEquals(java.time.Instant.ofEpochSecond(1_700_000_000L, 5000 + 10 - 1000), act.timestamp());
        assertTrue(ev.stream().allMatch(e -> e.machTimestamp() != null));
    }
}
