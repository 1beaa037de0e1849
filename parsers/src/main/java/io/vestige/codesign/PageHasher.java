package io.vestige.codesign;

import io.vestige.io.ByteSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

/**
 * Checks a CodeDirectory's code-slot hashes against the bytes: slot n covers
 * {@code [n·page, min((n+1)·page, codeLimit))}, the last page hashed truncated, never padded
 * (FORMATS.md 5.3). Large inputs are hashed in parallel in page-aligned chunks.
 */
final class PageHasher {
    private static final int CHUNK = 1 << 20;
    private static final int MAX_REPORTED = 32;

    /** Mismatching page numbers (sorted, at most 32 listed) and how many there were. */
    record Result(List<Long> mismatched, long mismatchCount) {
    }

    private PageHasher() {
    }

    static Result check(ByteSource src, CodeDirectory cd, long codeLimit, long slots) throws IOException {
        HashType type = cd.hashType();
        long page = cd.pageSize() == 0 ? Math.max(codeLimit, 1) : cd.pageSize();
        if (slots == 0) {
            return new Result(List.of(), 0);
        }
        if (page > CHUNK) {
            // one hash over a large range (pageSize 0 or a huge page): stream it
            List<Long> bad = new ArrayList<>();
            long count = 0;
            for (long n = 0; n < slots; n++) {
                long start = n * page;
                long end = Math.min(start + page, codeLimit);
                MessageDigest md = type.newDigest();
                byte[] buf = new byte[CHUNK];
                for (long p = start; p < end; p += CHUNK) {
                    int len = (int) Math.min(CHUNK, end - p);
                    src.readFully(p, buf, 0, len);
                    md.update(buf, 0, len);
                }
                if (!MessageDigest.isEqual(type.truncate(md.digest()), cd.codeHash(n))) {
                    count++;
                    if (bad.size() < MAX_REPORTED) {
                        bad.add(n);
                    }
                }
            }
            return new Result(bad, count);
        }
        int pagesPerChunk = (int) (CHUNK / page);
        long chunks = (slots + pagesPerChunk - 1) / pagesPerChunk;
        ConcurrentLinkedQueue<Long> bad = new ConcurrentLinkedQueue<>();
        IntStream range = IntStream.range(0, (int) chunks);
        if (chunks > 4) {
            range = range.parallel();
        }
        try {
            range.forEach(ci -> {
                long firstPage = (long) ci * pagesPerChunk;
                long lastPage = Math.min(slots, firstPage + pagesPerChunk);
                long start = firstPage * page;
                long end = Math.min(lastPage * page, codeLimit);
                byte[] buf = new byte[(int) (end - start)];
                try {
                    src.readFully(start, buf, 0, buf.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                MessageDigest md = type.newDigest();
                for (long n = firstPage; n < lastPage; n++) {
                    int off = (int) ((n - firstPage) * page);
                    int len = (int) Math.min(page, buf.length - off);
                    md.update(buf, off, len);
                    byte[] d = type.truncate(md.digest());
                    if (!MessageDigest.isEqual(d, cd.codeHash(n))) {
                        bad.add(n);
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<Long> sorted = new ArrayList<>(bad);
        sorted.sort(null);
        return new Result(sorted.size() > MAX_REPORTED ? sorted.subList(0, MAX_REPORTED) : sorted, sorted.size());
    }
}
