package io.vestige.format.ewf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Table-entry rules of the libyal EWF specification, on hand-made entry arrays. */
class EwfTableEntriesTest {
    static byte[] entries(long... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putInt((int) x);
        }
        return b.array();
    }

    @Test
    void compressedFlagSizesAndLastChunkBeforeTable() throws Exception {
        // sectors data from 0x1000, table section at 0x1000 + 300
        EwfSectionDescriptor table = new EwfSectionDescriptor("table", 0, 200, 0x1000 + 300);
        EwfImage.ResolvedTable r = EwfImage.resolveEntries(entries(0x80000000L | 0x1000, 0x1000 + 100, 0x1000 + 200), 3,
                0, table, null);
        assertEquals(0x1000, r.offsets()[0]);
        assertEquals(100, r.sizes()[0]);
        assertEquals(EwfMedia.F_COMPRESSED, r.flags()[0]);
        assertEquals(EwfMedia.F_CHECKSUM, r.flags()[1]);
        assertEquals(100, r.sizes()[2]); // ends where the table section starts
        assertNull(r.problems()[2]);
    }

    @Test
    void baseOffsetIsAdded() throws Exception {
        EwfSectionDescriptor table = new EwfSectionDescriptor("table", 0, 200, 5_000_000_000L);
        EwfImage.ResolvedTable r = EwfImage.resolveEntries(entries(0, 500), 2, 4_999_000_000L, table, null);
        assertEquals(4_999_000_000L, r.offsets()[0]);
        assertEquals(4_999_000_500L, r.offsets()[1]);
        assertEquals(500, r.sizes()[0]);
        assertEquals(5_000_000_000L - 4_999_000_500L, r.sizes()[1]);
    }

    @Test
    void encase671OffsetsSpillIntoBit31() throws Exception {
        // chunk 0 stored at 0x7fff8000 (32 KiB + 4), chunk 1 at 0x80008004: bit 31 set by the offset, not by compression
        long c0 = 0x7fff8000L;
        long c1 = c0 + 0x8004;
        long c2 = c1 + 0x8004;
        EwfSectionDescriptor table = new EwfSectionDescriptor("table", 0, 200, c2 + 0x8004);
        EwfImage.ResolvedTable r = EwfImage.resolveEntries(entries(c0, c1, c2), 3, 0, table, null);
        assertEquals(c0, r.offsets()[0]);
        assertEquals(0x8004, r.sizes()[0]);
        assertEquals(c1, r.offsets()[1]);
        assertEquals(EwfMedia.F_CHECKSUM, r.flags()[1]);
        assertEquals(0x8004, r.sizes()[1]);
        assertEquals(c2, r.offsets()[2]);
        assertEquals(0x8004, r.sizes()[2]);
    }

    @Test
    void smartChunksInsideTheTable() throws Exception {
        // SMART/EnCase 1: chunks follow the entries inside the table section
        EwfSectionDescriptor table = new EwfSectionDescriptor("table", 0, 76 + 24 + 8 + 300, 1000);
        long first = 1000 + 76 + 24 + 8;
        EwfImage.ResolvedTable r = EwfImage.resolveEntries(entries(first, first + 150), 2, 0, table, null);
        assertEquals(150, r.sizes()[0]);
        assertEquals(150, r.sizes()[1]);
    }

    @Test
    void zeroSizeEntryIsFlaggedNotFatal() throws Exception {
        EwfSectionDescriptor table = new EwfSectionDescriptor("table", 0, 200, 0x3000);
        EwfImage.ResolvedTable r = EwfImage.resolveEntries(entries(0x1000, 0x1000, 0x2000), 3, 0, table, null);
        assertNotNull(r.problems()[0]);
        assertNull(r.problems()[1]);
    }
}
