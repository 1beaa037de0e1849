package io.vestige.evidence;

import io.vestige.format.apfs.ApfsFormat;
import io.vestige.format.dir.DirectoryFormat;
import io.vestige.format.raw.RawFormat;
import io.vestige.format.tar.TarFormat;
import io.vestige.format.zip.ZipFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The explicit, ordered lists of probes. Order matters and is deliberate: specific signatures first,
 * raw last (every regular file is raw media). Known magic collisions are commented where they
 * arise. Tests and embedders may build their own registry.
 */
public final class ProbeRegistry {
    private final List<ContainerFormat> containers;
    private final List<VolumeSystemFormat> volumeSystems;
    private final List<FileSystemFormat> fileSystems;

    public ProbeRegistry(List<ContainerFormat> containers, List<VolumeSystemFormat> volumeSystems,
                         List<FileSystemFormat> fileSystems) {
        this.containers = List.copyOf(containers);
        this.volumeSystems = List.copyOf(volumeSystems);
        this.fileSystems = List.copyOf(fileSystems);
    }

    /** The registry Vestige uses. */
    public static ProbeRegistry standard() {
        List<ContainerFormat> c = new ArrayList<>();
        // Folders first: a .sparsebundle or .logarchive folder is claimed before a plain folder.
        // Then signature-checked image formats, then archives, then raw which accepts anything.
        c.add(new io.vestige.format.udif.SparseBundleFormat()); // folder with Info.plist + bands/: before the generic folder
        c.add(new DirectoryFormat());
        // signature-checked image formats
        c.add(new io.vestige.format.ewf.EwfFormat()); // EVF/LVF/EVF2/LEF2 signatures
        c.add(new io.vestige.format.udif.EncryptedDmgFormat()); // "encrcdsa" head / "cdsaencr" tail: before UDIF and raw
        c.add(new io.vestige.format.udif.SparseImageFormat()); // "sprs" head
        c.add(new io.vestige.format.udif.UdifFormat()); // koly (version 4, size 512) in the last or first 512 bytes, or an XML plist ending the file (a .dmg whose trailer was cut off)
        // tar (plain or gzip/bzip2/xz/zstd): gzip magic is shared with FSEvents files; the probe
        // decompresses the first record and requires a tar header there
        c.add(new TarFormat());
        // zip (PK\3\4): also .ipa/.jar/.docx, which are read as collections of files too
        c.add(new ZipFormat());
        c.add(new io.vestige.format.raw.SplitRawFormat()); // by name only (.001, .aa+.ab): after every signature probe
        // every regular file is raw media: keep last
        c.add(new RawFormat());
        List<VolumeSystemFormat> v = new ArrayList<>();
        v.add(new io.vestige.format.gpt.GptFormat()); // before MBR: a protective MBR also ends in 55AA
        v.add(new io.vestige.format.apm.ApmFormat());
        v.add(new io.vestige.format.mbr.MbrFormat()); // strict sanity checks: FAT/NTFS boot sectors end in 55AA too
        // The Sleuth Kit's partition maps (BSD, Sun …) after the native readers: keep last
        v.add(new io.vestige.format.tsk.TskVolumeSystemFormat());
        List<FileSystemFormat> f = new ArrayList<>();
        f.add(new ApfsFormat()); // NXSB magic at offset 32 of block 0 (or a valid superblock in the checkpoint ring)
        // The Sleuth Kit (when libtsk is installed) reads what no native reader claims (HFS+, NTFS, ext, FAT, ISO 9660): keep last
        f.add(new io.vestige.format.tsk.TskFormat());
        return new ProbeRegistry(c, v, f);
    }

    public List<ContainerFormat> containers() {
        return containers;
    }

    public List<VolumeSystemFormat> volumeSystems() {
        return volumeSystems;
    }

    public List<FileSystemFormat> fileSystems() {
        return fileSystems;
    }
}
