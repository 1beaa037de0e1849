package io.vestige.hunt;

/**
 * Recognises Mach-O files by their first bytes without parsing them: thin 32/64-bit in either byte
 * order, and fat headers. {@code 0xCAFEBABE} is also the magic of Java class files; a class file
 * has its major version (>= 45) where a fat header has its slice count, so small counts mean fat.
 */
public final class MachOSniffer {
    private MachOSniffer() {
    }

    public static boolean isMachO(byte[] head) {
        if (head.length < 8) {
            return false;
        }
        long be = (head[0] & 0xffL) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | (head[3] & 0xff);
        if (be == 0xFEEDFACEL || be == 0xFEEDFACFL || be == 0xCEFAEDFEL || be == 0xCFFAEDFEL) {
            return true;
        }
        if (be == 0xCAFEBABEL || be == 0xCAFEBABFL) {
            long count = (head[4] & 0xffL) << 24 | (head[5] & 0xff) << 16 | (head[6] & 0xff) << 8 | (head[7] & 0xff);
            return count > 0 && count < 45;
        }
        return false;
    }
}
