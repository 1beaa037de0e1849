package io.vestige.format.tsk;

import io.vestige.io.ByteSource;
import io.vestige.io.TruncatedException;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A file's default data stream read through {@code tsk_fs_file_read}, in bounded native reads. */
final class TskContent implements ByteSource {
    private final TskFsHandle fs;
    private final long inum;
    private final long size;
    private final String describe;

    TskContent(TskFsHandle fs, long inum, long size, String describe) {
        this.fs = fs;
        this.inum = inum;
        this.size = size;
        this.describe = describe;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws IOException {
        if (offset < 0) {
            throw new IOException(describe + ": negative offset " + offset);
        }
        if (offset >= size) {
            return -1;
        }
        int want = (int) Math.min(dst.remaining(), size - offset);
        if (want == 0) {
            return 0;
        }
        ByteBuffer view = dst.slice();
        view.limit(want);
        int done = 0;
        while (view.hasRemaining()) {
            int n = fs.read(inum, offset + done, view);
            if (n <= 0) {
                break;
            }
            done += n;
        }
        if (done == 0) {
            throw new TruncatedException(describe, offset, want, 0);
        }
        dst.position(dst.position() + done);
        return done;
    }
}
