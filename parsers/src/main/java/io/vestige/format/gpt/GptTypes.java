package io.vestige.format.gpt;

import java.util.Map;
import java.util.UUID;

/** Readable names of well-known GPT partition type GUIDs (Apple types per libvsgpt). */
public final class GptTypes {
    private GptTypes() {
    }

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("7c3457ef-0000-11aa-aa11-00306543ecac", "Apple APFS"),
            Map.entry("48465300-0000-11aa-aa11-00306543ecac", "Apple HFS+"),
            Map.entry("426f6f74-0000-11aa-aa11-00306543ecac", "Apple Boot (Recovery HD)"),
            Map.entry("53746f72-6167-11aa-aa11-00306543ecac", "Apple Core Storage"),
            Map.entry("52414944-0000-11aa-aa11-00306543ecac", "Apple RAID"),
            Map.entry("52414944-5f4f-11aa-aa11-00306543ecac", "Apple RAID (offline)"),
            Map.entry("4c616265-6c00-11aa-aa11-00306543ecac", "Apple Label"),
            Map.entry("5265636f-7665-11aa-aa11-00306543ecac", "Apple TV Recovery"),
            Map.entry("55465300-0000-11aa-aa11-00306543ecac", "Apple UFS"),
            Map.entry("69646961-6700-11aa-aa11-00306543ecac", "Apple Silicon boot"),
            Map.entry("52637672-7900-11aa-aa11-00306543ecac", "Apple Silicon recovery"),
            Map.entry("c12a7328-f81f-11d2-ba4b-00a0c93ec93b", "EFI System"),
            Map.entry("024dee41-33e7-11d3-9d69-0008c781f39f", "MBR partition scheme"),
            Map.entry("21686148-6449-6e6f-744e-656564454649", "BIOS boot"),
            Map.entry("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7", "Microsoft Basic Data"),
            Map.entry("e3c9e316-0b5c-4db8-817d-f92df00215ae", "Microsoft Reserved"),
            Map.entry("de94bba4-06d1-4d40-a16a-bfd50179d6ac", "Windows Recovery"),
            Map.entry("5808c8aa-7e8f-42e0-85d2-e1e90434cfb3", "Windows LDM metadata"),
            Map.entry("af9b60a0-1431-4f62-bc68-3311714a69ad", "Windows LDM data"),
            Map.entry("0fc63daf-8483-4772-8e79-3d69d8477de4", "Linux filesystem"),
            Map.entry("0657fd6d-a4ab-43c4-84e5-0933c84b4f4f", "Linux swap"),
            Map.entry("e6d6d379-f507-44c2-a23c-238f2a3df928", "Linux LVM"),
            Map.entry("a19d880f-05fc-4d3b-a006-743f0f84911e", "Linux RAID"),
            Map.entry("933ac7e1-2eb4-4f13-b844-0e14e2aef915", "Linux /home"),
            Map.entry("4f68bce3-e8cd-4db1-96e7-fbcaf984b709", "Linux root (x86-64)"),
            Map.entry("516e7cb4-6ecf-11d6-8ff8-00022d09712b", "FreeBSD data"));

    /** The name of {@code type}, or its GUID string (upper case) when unknown. */
    public static String name(UUID type) {
        String n = NAMES.get(type.toString());
        return n != null ? n : type.toString().toUpperCase(java.util.Locale.ROOT);
    }
}
