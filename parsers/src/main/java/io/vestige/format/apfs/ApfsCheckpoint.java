package io.vestige.format.apfs;

/**
 * One checkpoint found in the checkpoint descriptor area: its container superblock copy and
 * whether its checkpoint-map blocks were intact (Apple File System Reference, "Checkpoints").
 *
 * @param block      block address of the superblock copy in the descriptor area
 * @param mapsValid  every checkpoint-map block of this checkpoint had a good checksum and xid
 */
public record ApfsCheckpoint(long xid, long block, NxSuperblock superblock, boolean mapsValid) {
}
