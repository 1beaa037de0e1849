package io.vestige.codesign;

/**
 * Magic numbers, slot numbers and flag bits of Apple's embedded code signature, all big-endian on
 * disk. Spec: xnu {@code osfmk/kern/cs_blobs.h}; FORMATS.md section 5.2.
 */
public final class CodeSigning {
    private CodeSigning() {
    }

    public static final long CSMAGIC_REQUIREMENT = 0xfade0c00L;
    public static final long CSMAGIC_REQUIREMENTS = 0xfade0c01L;
    public static final long CSMAGIC_CODEDIRECTORY = 0xfade0c02L;
    public static final long CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0L;
    public static final long CSMAGIC_DETACHED_SIGNATURE = 0xfade0cc1L;
    public static final long CSMAGIC_BLOBWRAPPER = 0xfade0b01L;
    public static final long CSMAGIC_EMBEDDED_ENTITLEMENTS = 0xfade7171L;
    public static final long CSMAGIC_EMBEDDED_DER_ENTITLEMENTS = 0xfade7172L;
    public static final long CSMAGIC_EMBEDDED_LAUNCH_CONSTRAINT = 0xfade8181L;

    public static final int CSSLOT_CODEDIRECTORY = 0;
    public static final int CSSLOT_INFOSLOT = 1;
    public static final int CSSLOT_REQUIREMENTS = 2;
    public static final int CSSLOT_RESOURCEDIR = 3;
    public static final int CSSLOT_APPLICATION = 4;
    public static final int CSSLOT_ENTITLEMENTS = 5;
    public static final int CSSLOT_REP_SPECIFIC = 6;
    public static final int CSSLOT_DER_ENTITLEMENTS = 7;
    public static final int CSSLOT_LAUNCH_CONSTRAINT_SELF = 8;
    public static final int CSSLOT_LAUNCH_CONSTRAINT_PARENT = 9;
    public static final int CSSLOT_LAUNCH_CONSTRAINT_RESPONSIBLE = 10;
    public static final int CSSLOT_LIBRARY_CONSTRAINT = 11;
    public static final int CSSLOT_ALTERNATE_CODEDIRECTORIES = 0x1000;
    public static final int CSSLOT_ALTERNATE_CODEDIRECTORY_MAX = 5;
    public static final int CSSLOT_SIGNATURESLOT = 0x10000;
    public static final int CSSLOT_IDENTIFICATIONSLOT = 0x10001;
    public static final int CSSLOT_TICKETSLOT = 0x10002;

    /** CodeDirectory flags ({@code CS_*}). */
    public static final long CS_VALID = 0x1;
    public static final long CS_ADHOC = 0x2;
    public static final long CS_GET_TASK_ALLOW = 0x4;
    public static final long CS_INSTALLER = 0x8;
    public static final long CS_FORCED_LV = 0x10;
    public static final long CS_INVALID_ALLOWED = 0x20;
    public static final long CS_HARD = 0x100;
    public static final long CS_KILL = 0x200;
    public static final long CS_CHECK_EXPIRATION = 0x400;
    public static final long CS_RESTRICT = 0x800;
    public static final long CS_ENFORCEMENT = 0x1000;
    public static final long CS_REQUIRE_LV = 0x2000;
    public static final long CS_ENTITLEMENTS_VALIDATED = 0x4000;
    public static final long CS_NVRAM_UNRESTRICTED = 0x8000;
    public static final long CS_RUNTIME = 0x10000;
    public static final long CS_LINKER_SIGNED = 0x20000;

    /** Names of slot numbers as Apple's tools print them. */
    public static String slotName(long slot) {
        if (slot >= CSSLOT_ALTERNATE_CODEDIRECTORIES && slot < CSSLOT_ALTERNATE_CODEDIRECTORIES + CSSLOT_ALTERNATE_CODEDIRECTORY_MAX) {
            return "alternate CodeDirectory #" + (slot - CSSLOT_ALTERNATE_CODEDIRECTORIES);
        }
        return switch ((int) slot) {
            case CSSLOT_CODEDIRECTORY -> "CodeDirectory";
            case CSSLOT_INFOSLOT -> "Info.plist";
            case CSSLOT_REQUIREMENTS -> "requirements";
            case CSSLOT_RESOURCEDIR -> "CodeResources";
            case CSSLOT_APPLICATION -> "application";
            case CSSLOT_ENTITLEMENTS -> "entitlements";
            case CSSLOT_REP_SPECIFIC -> "rep-specific";
            case CSSLOT_DER_ENTITLEMENTS -> "DER entitlements";
            case CSSLOT_LAUNCH_CONSTRAINT_SELF -> "launch constraint (self)";
            case CSSLOT_LAUNCH_CONSTRAINT_PARENT -> "launch constraint (parent)";
            case CSSLOT_LAUNCH_CONSTRAINT_RESPONSIBLE -> "launch constraint (responsible)";
            case CSSLOT_LIBRARY_CONSTRAINT -> "library constraint";
            case CSSLOT_SIGNATURESLOT -> "CMS signature";
            case CSSLOT_IDENTIFICATIONSLOT -> "identification";
            case CSSLOT_TICKETSLOT -> "notarization ticket";
            default -> "slot 0x" + Long.toHexString(slot);
        };
    }

    /** Flag names as {@code codesign -dv} prints them ({@code adhoc,runtime,linker-signed}). */
    public static java.util.List<String> flagNames(long flags) {
        java.util.List<String> r = new java.util.ArrayList<>();
        String[] names = {"valid", "adhoc", "get-task-allow", "installer", "forced-lv", "invalid-allowed", "0x40", "0x80",
            "hard", "kill", "expires", "restrict", "enforcement", "library-validation", "entitlements-validated",
            "nvram-unrestricted", "runtime", "linker-signed"};
        for (int i = 0; i < 32; i++) {
            if ((flags & (1L << i)) != 0) {
                r.add(i < names.length ? names[i] : "0x" + Long.toHexString(1L << i));
            }
        }
        return r;
    }
}
