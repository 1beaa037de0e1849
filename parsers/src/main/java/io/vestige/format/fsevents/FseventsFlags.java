package io.vestige.format.fsevents;

import java.util.ArrayList;
import java.util.List;

/**
 * The event-flag bits of an FSEvents record, named after xnu {@code bsd/sys/fsevents.h} and the
 * FSEventStream constants (FORMATS §7).
 */
public final class FseventsFlags {
    private FseventsFlags() {
    }

    private static final int[] BITS = {
        0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000,
        0x10000, 0x20000, 0x40000, 0x80000, 0x100000, 0x400000, 0x800000, 0x1000000, 0x2000000, 0x4000000,
        0x20000000,
    };
    private static final String[] NAMES = {
        "Created", "Removed", "InodeMetaMod", "Renamed", "Modified", "Exchange", "FinderInfoMod", "FolderCreated",
        "PermissionChange", "XattrMod", "XattrRemoved", "DocumentCreated", "DocumentRevision", "UnmountPending",
        "ItemCloned", "ModeClone", "TruncatedPath", "RemoteDirEvent", "LastHardLinkRemoved", "IsHardLink",
        "IsSymlink", "IsFile", "IsDir", "Mount", "Unmount", "EndOfTransaction",
    };

    /** Names of the set bits, in bit order; unknown bits as {@code 0x…}. */
    public static List<String> names(int flags) {
        List<String> out = new ArrayList<>();
        int rest = flags;
        for (int i = 0; i < BITS.length; i++) {
            if ((flags & BITS[i]) != 0) {
                out.add(NAMES[i]);
                rest &= ~BITS[i];
            }
        }
        for (int b = 0; b < 32; b++) {
            if ((rest & (1 << b)) != 0) {
                out.add("0x" + Integer.toHexString(1 << b));
            }
        }
        return out;
    }

    /** Names joined with {@code |}, or {@code None}. */
    public static String describe(int flags) {
        List<String> n = names(flags);
        return n.isEmpty() ? "None" : String.join("|", n);
    }
}
