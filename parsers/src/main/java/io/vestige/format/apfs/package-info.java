/**
 * APFS reader (Apple File System Reference; FORMATS.md §3): containers, volumes, snapshots and
 * older checkpoints.
 *
 * <p>Entry points: {@link io.vestige.format.apfs.ApfsFormat} (the {@code FileSystemFormat} adapter:
 * one file system per volume plus a merged view per System/Data volume group; settings
 * {@code xid=N} and {@code snapshot=NAME}), {@link io.vestige.format.apfs.ApfsContainer}
 * ({@code open}, {@code checkpoints()}, {@code openVolume(index[, xid])}),
 * {@link io.vestige.format.apfs.ApfsVolume} ({@code snapshots()}, {@code openSnapshot}),
 * {@link io.vestige.format.apfs.ApfsHistory} ({@code deletedSince}, {@code deletedAcrossHistory}).
 *
 * <p>Decisions: the checkpoint descriptor ring is authoritative — block 0 only locates it (and is
 * the fallback when the ring holds no valid superblock), so a damaged newest checkpoint yields the
 * previous one with a diagnostic naming the block. Every B-tree node is checksum-verified and
 * rejected when its oid or xid disagrees with the view being read. Directories are enumerated by
 * key range and children's inodes fetched by range scans, never by recomputing name hashes.
 * Encrypted volumes are listed with their facts; reading their tree fails with a clear
 * {@link io.vestige.io.UnsupportedFormatException}. The volume-group view mounts the System volume at
 * {@code /}, the Data volume at {@code /System/Volumes/Data} and applies the System volume's
 * {@code /usr/share/firmlinks} (or, without it, links every top-level Data folder), so
 * {@code /private/tmp} shows the Data volume's folder; entries reached both ways appear under both
 * paths, as on a running Mac.
 */
package io.vestige.format.apfs;
