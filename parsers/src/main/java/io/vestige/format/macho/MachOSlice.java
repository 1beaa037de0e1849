package io.vestige.format.macho;

import io.vestige.io.ByteSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One thin Mach-O image: the whole file for a thin binary, one slice of a universal binary.
 * {@link #source()} is the slice's bytes (load-command offsets such as {@code LC_CODE_SIGNATURE}'s
 * {@code dataoff} are relative to it); {@link #fileOffset()} locates it in the file.
 */
public record MachOSlice(ByteSource source, long fileOffset, MachHeader header, List<LoadCommand> commands) {
    public MachOSlice {
        commands = List.copyOf(commands);
    }

    public String arch() {
        return header.arch();
    }

    public Optional<UUID> uuid() {
        for (LoadCommand c : commands) {
            if (c instanceof LoadCommand.Uuid u) {
                return Optional.of(u.uuid());
            }
        }
        return Optional.empty();
    }

    /** {@code LC_CODE_SIGNATURE}, if present (the last one wins, as in dyld). */
    public Optional<LoadCommand.LinkeditData> codeSignature() {
        LoadCommand.LinkeditData found = null;
        for (LoadCommand c : commands) {
            if (c instanceof LoadCommand.LinkeditData l && l.cmd() == LoadCommands.LC_CODE_SIGNATURE) {
                found = l;
            }
        }
        return Optional.ofNullable(found);
    }

    public List<LoadCommand.Segment> segments() {
        List<LoadCommand.Segment> r = new ArrayList<>();
        for (LoadCommand c : commands) {
            if (c instanceof LoadCommand.Segment s) {
                r.add(s);
            }
        }
        return r;
    }

    public Optional<LoadCommand.Segment> segment(String name) {
        return segments().stream().filter(s -> s.segName().equals(name)).findFirst();
    }

    /** Linked libraries ({@code LC_LOAD_DYLIB}, weak, re-export, upward, lazy), in load order. */
    public List<LoadCommand.Dylib> dylibs() {
        List<LoadCommand.Dylib> r = new ArrayList<>();
        for (LoadCommand c : commands) {
            if (c instanceof LoadCommand.Dylib d && d.cmd() != LoadCommands.LC_ID_DYLIB) {
                r.add(d);
            }
        }
        return r;
    }

    public Optional<LoadCommand.BuildVersion> buildVersion() {
        return commands.stream().filter(c -> c instanceof LoadCommand.BuildVersion)
                .map(c -> (LoadCommand.BuildVersion) c).findFirst();
    }

    public Optional<LoadCommand.VersionMin> versionMin() {
        return commands.stream().filter(c -> c instanceof LoadCommand.VersionMin)
                .map(c -> (LoadCommand.VersionMin) c).findFirst();
    }

    public Optional<LoadCommand.EntryPoint> main() {
        return commands.stream().filter(c -> c instanceof LoadCommand.EntryPoint)
                .map(c -> (LoadCommand.EntryPoint) c).findFirst();
    }
}
