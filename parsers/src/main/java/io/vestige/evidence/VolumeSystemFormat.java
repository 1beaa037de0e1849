package io.vestige.evidence;

import io.vestige.io.ByteSource;
import java.io.IOException;

/** A partition-map format (GPT, APM, MBR). */
public interface VolumeSystemFormat {
    String name();

    boolean probe(ByteSource media) throws IOException;

    VolumeSystem open(ByteSource media, EvidencePath parent, OpenOptions options) throws IOException;
}
