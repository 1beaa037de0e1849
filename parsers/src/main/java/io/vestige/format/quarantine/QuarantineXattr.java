package io.vestige.format.quarantine;

import io.vestige.io.MalformedException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The value of the {@code com.apple.quarantine} extended attribute:
 * {@code flags;hex-time;agent;event-UUID}, e.g. {@code 0083;5f1b2c3d;Safari;E2B0…}. {@code flags} is
 * hex (libquarantine {@code QTN_FLAG_*}), the time is hex seconds since 1970, the agent is the
 * application that set it, and the UUID (optional) is the {@code LSQuarantineEventIdentifier} of the
 * matching row in QuarantineEventsV2.
 *
 * @param flags     the flag bits
 * @param time      when the item was quarantined, or {@code null} if the field is absent or not hex
 * @param agent     the quarantining application's name ({@code ""} if absent)
 * @param eventId   the event UUID, or {@code null}
 * @param raw       the attribute text as stored
 */
public record QuarantineXattr(int flags, Instant time, String agent, UUID eventId, String raw) {

    public static final String NAME = "com.apple.quarantine";

    private static final int[] BITS = {0x0001, 0x0002, 0x0004, 0x0040, 0x0080, 0x0100};
    private static final String[] NAMES = {"Download", "Sandbox", "Hard", "UserApproved", "Translocate", "DoNotTranslocate"};

    /** Parses the attribute bytes (UTF-8, possibly NUL-terminated). */
    public static QuarantineXattr parse(byte[] value) throws MalformedException {
        int len = value.length;
        while (len > 0 && value[len - 1] == 0) {
            len--;
        }
        String raw = new String(value, 0, len, StandardCharsets.UTF_8);
        String[] parts = raw.split(";", -1);
        if (parts.length < 2 || parts[0].isEmpty()) {
            throw new MalformedException(NAME, 0, "expected flags;time;agent;uuid, found '" + abbreviate(raw) + "'");
        }
        int flags;
        try {
            flags = (int) Long.parseLong(parts[0].trim(), 16);
        } catch (NumberFormatException e) {
            throw new MalformedException(NAME, 0, "flags are not hex: '" + abbreviate(parts[0]) + "'");
        }
        Instant time = null;
        try {
            String t = parts[1].trim();
            if (!t.isEmpty()) {
                time = Instant.ofEpochSecond(Long.parseLong(t, 16));
            }
        } catch (NumberFormatException | java.time.DateTimeException e) {
            time = null;
        }
        String agent = parts.length > 2 ? parts[2] : "";
        UUID id = null;
        if (parts.length > 3 && !parts[3].isBlank()) {
            try {
                id = UUID.fromString(parts[3].trim());
            } catch (IllegalArgumentException e) {
                id = null;
            }
        }
        return new QuarantineXattr(flags, time, agent, id, raw);
    }

    /** Names of the set flag bits; unknown bits as {@code 0x…}. */
    public List<String> flagNames() {
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

    /** The event id as Launch Services writes it (upper case), or {@code null}. */
    public String eventIdText() {
        return eventId == null ? null : eventId.toString().toUpperCase(Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
