package io.vestige.format.tsk;

import io.vestige.io.ParseLimits;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The operations {@link TskFileSystem} needs from an open TSK file system, served either in this
 * JVM ({@link TskFs}) or by an isolated worker process ({@link TskWorkerClient}), so that a crash of
 * libtsk on a hostile image cannot take Vestige down.
 */
interface TskFsHandle extends Closeable {
    TskFsInfo info();

    String tskTypeName();

    TskPoolVolumeInfo poolVolume();

    default long rootInum() {
        return info().rootInum();
    }

    TskFsMeta stat(long inum, ParseLimits limits) throws IOException;

    List<TskFs.Child> list(long inum, ParseLimits limits) throws IOException;

    int read(long inum, long offset, ByteBuffer dst) throws IOException;

    List<TskFsAttr> attributes(long inum, ParseLimits limits) throws IOException;

    byte[] readAttribute(long inum, int idx, ParseLimits limits) throws IOException;

    long defaultAttributeSize(long inum) throws IOException;

    @Override
    void close();
}
