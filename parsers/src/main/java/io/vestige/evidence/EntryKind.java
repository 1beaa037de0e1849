package io.vestige.evidence;

/** What a file-system entry is, in the vocabulary shared by every file system and the reports. */
public enum EntryKind {
    FILE("file"), DIRECTORY("dir"), SYMLINK("symlink"), HARDLINK("hardlink"), BLOCK_DEVICE("block"),
    CHAR_DEVICE("char"), FIFO("fifo"), SOCKET("socket"), WHITEOUT("whiteout"), OTHER("other");

    private final String label;

    EntryKind(String label) {
        this.label = label;
    }

    /** The name used in JSON and listings. */
    public String label() {
        return label;
    }

    /** The TSK bodyfile / {@code ls -l} type letter. */
    public char typeChar() {
        return switch (this) {
            case FILE, HARDLINK -> 'r';
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case BLOCK_DEVICE -> 'b';
            case CHAR_DEVICE -> 'c';
            case FIFO -> 'p';
            case SOCKET -> 's';
            case WHITEOUT -> 'w';
            case OTHER -> '-';
        };
    }
}
