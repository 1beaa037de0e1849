package io.vestige.evidence;

import io.vestige.io.ByteSource;

/** An extended attribute (or named stream / resource fork): its name and its bytes. */
public record Xattr(String name, long size, ByteSource content) {
}
