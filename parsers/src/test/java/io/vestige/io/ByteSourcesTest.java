package io.vestige.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteSourcesTest {
    private static byte[] seq(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @Test
    void memorySliceAndConcatReadTheSameBytes() throws Exception {
        byte[] all = seq(1000);
        ByteSource a = ByteSources.wrap(all, 0, 300, "a");
        ByteSource b = ByteSources.wrap(all, 300, 0, "empty");
        ByteSource c = ByteSources.wrap(all, 300, 700, "c");
        ByteSource cat = ByteSources.concat(List.of(a, b, c));
        assertEquals(1000, cat.size());
        assertArrayEquals(all, cat.readBytes(0, 1000));
        byte[] mid = cat.readBytes(290, 20);
        for (int i = 0; i < 20; i++) {
            assertEquals(all[290 + i], mid[i]);
        }
        ByteSource s = cat.slice(100, 500).slice(50, 100);
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 150, 250), s.readBytes(0, 100));
        assertEquals(-1, s.read(100, ByteBuffer.allocate(4)));
    }

    @Test
    void readPastEndIsTruncatedWithOffset() {
        ByteSource s = ByteSources.wrap(seq(10), "tiny");
        TruncatedException e = assertThrows(TruncatedException.class, () -> s.readBytes(8, 4));
        assertEquals(8, e.offset());
        assertThrows(TruncatedException.class, () -> s.slice(5, 6));
    }

    @Test
    void fileSourceIsPositionalAndThreadSafe(@TempDir Path dir) throws Exception {
        byte[] all = seq(1 << 20);
        Path f = dir.resolve("img.raw");
        Files.write(f, all);
        try (ByteSource src = ByteSources.cached(ByteSources.open(f), 4096, 16)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> results = new java.util.ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    final int seed = t;
                    results.add(pool.submit(() -> {
                        java.util.Random r = new java.util.Random(seed);
                        for (int i = 0; i < 500; i++) {
                            int off = r.nextInt(all.length - 10000);
                            int len = r.nextInt(10000);
                            byte[] got = src.readBytes(off, len);
                            if (!java.util.Arrays.equals(got, 0, len, all, off, off + len)) {
                                return false;
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> fu : results) {
                    assertEquals(true, fu.get());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void structReaderReportsStructureAndAbsoluteOffset() throws Exception {
        StructReader r = StructReader.le(new byte[] {1, 2, 3, 4, 5, 6}, 0x8000, "koly");
        assertEquals(0x04030201L, r.u32(0));
        TruncatedException e = assertThrows(TruncatedException.class, () -> r.u64(2));
        assertEquals(0x8002, e.offset());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("koly @ 0x8002 / 32770"), e.getMessage());
    }

    @Test
    void limitsNameTheSettingToRaise() {
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> ParseLimits.defaults().check("maxTreeDepth", 65, "APFS btree", 4096));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("maxTreeDepth"), e.getMessage());
        assertEquals(10, ParseLimits.defaults().with("maxTreeDepth", 10).maxTreeDepth());
    }
}
