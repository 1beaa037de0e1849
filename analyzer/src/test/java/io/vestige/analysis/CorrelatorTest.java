package io.vestige.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vestige.evidence.EvidencePath;
import io.vestige.format.fsevents.FseventsRecord;
import io.vestige.format.unifiedlog.LogEvent;
import io.vestige.io.ParseLimits;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CorrelatorTest {
    static final String B = "/private/tmp/vpn.Ab12/vpndownloader.app";
    static final String EXE = B + "/Contents/MacOS/vpndownloader";

    static LogEvent log(Instant t, String proc, String msg, int line) {
        return LogEvent.builder().timestamp(t).processImagePath(proc).senderImagePath(proc).processID(100L + line)
                .eventMessage(msg).source(EvidencePath.ofFile("logs.ndjson").then("line", Integer.toString(line))).build();
    }

    static FseventsRecord fs(String path, long id, int flags) {
        return new FseventsRecord(path, id, flags, 7L, null, 2, "00000000000000ff", 0, id, EvidencePath.ofFile("fse"));
    }

    @Test
    void logsLaunchesOriginsAndFseventsAreTiedToTheirBundle() {
        Traces t = new Traces(ParseLimits.defaults());
        Instant t0 = Instant.parse("2024-06-03T09:00:00Z");
        t.logs.add(log(t0, "/opt/cisco/secureclient/bin/vpnagentd", "Launching /tmp/vpn.Ab12/vpndownloader.app/Contents/MacOS/vpndownloader", 1));
        t.logs.add(log(t0.plusSeconds(1), EXE, "fetching https://disthost.umbrella.com/roaming/upgrade/mac_anyconnect/production/x.dmg done", 2));
        t.logs.add(log(t0.plusSeconds(2), "/private/tmp/vpn.Other/vpndownloader.app/Contents/MacOS/vpndownloader", "unrelated", 3));
        t.logs.add(log(t0.plusSeconds(3), "/usr/libexec/syspolicyd", "scanned " + B + ": no match", 4));
        t.fsevents.add(new Traces.FsEvent(fs("private/tmp/vpn.Ab12", 1, 0x1000001), "/private/tmp/vpn.Ab12", t0.plusSeconds(60)));
        t.fsevents.add(new Traces.FsEvent(fs("private/tmp/other.txt", 2, 0x800001), "/private/tmp/other.txt", t0.plusSeconds(60)));
        Correlator.Result r = new Correlator(t).correlate(B, Set.of(), List.of(), List.of());
        assertEquals(1, r.launches().size(), r.launches().toString());
        assertEquals("/opt/cisco/secureclient/bin/vpnagentd", r.launches().get(0).parentProcess());
        assertEquals(1, r.origins().size(), r.origins().toString());
        assertEquals("https://disthost.umbrella.com/roaming/upgrade/mac_anyconnect/production/x.dmg", r.origins().get(0).url());
        // three log events of this bundle (launch, own process, a scanner naming it, which is no launch) and the
        // FSEvents record of its own folder; not the other bundle,
        // not a file merely sharing /private/tmp
        assertEquals(4, r.timeline().size(), r.timeline().toString());
        assertTrue(r.timeline().stream().anyMatch(e -> e.precision().equals("bounded")));
        assertFalse(r.timeline().toString().contains("unrelated"));
        assertFalse(r.timeline().toString().contains("other.txt"));
        assertTrue(r.traces().contains("logs.ndjson \u203a line 1"), r.traces().toString());
    }

    @Test
    void bundlesSeenOnlyInTracesAreListedOnceWithTheirFolder() {
        Traces t = new Traces(ParseLimits.defaults());
        t.logs.add(log(Instant.EPOCH, EXE, "x", 1));
        t.fsevents.add(new Traces.FsEvent(fs("private/tmp/vpn.Ab12/vpndownloader.app/Contents/Info.plist", 3, 0x800002),
                "/private/tmp/vpn.Ab12/vpndownloader.app/Contents/Info.plist", Instant.EPOCH));
        t.fsevents.add(new Traces.FsEvent(fs("Users/a/Apps/X.app/Contents/MacOS/X", 4, 0x800001),
                "/Users/a/Apps/X.app/Contents/MacOS/X", Instant.EPOCH));
        assertEquals(Set.of(B), new Correlator(t).bundlesInTraces());
    }

    @Test
    void pathsAndTemporaryRoots() {
        assertEquals("/private/tmp/x.app", Correlator.bundleOf("/private/tmp/x.app/Contents/MacOS/x"));
        assertEquals(null, Correlator.bundleOf("/private/tmp/x/y"));
        assertTrue(Correlator.under("/tmp/vpn.Ab12/vpndownloader.app/Contents", B));
        assertFalse(Correlator.under("/private/tmp/vpn.Ab12/vpndownloader.appx", B));
        assertTrue(Correlator.isTempRoot("/private/tmp"));
        assertTrue(Correlator.isTempRoot("/private/var/folders/7x/abc/T"));
        assertFalse(Correlator.isTempRoot("/private/tmp/vpn.Ab12"));
        assertTrue(Traces.tempPath("/var/folders/7x/abc/T/x"));
        assertFalse(Traces.tempPath("/Applications/x.app"));
    }
}
