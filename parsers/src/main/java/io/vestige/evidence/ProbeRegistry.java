package io.vestige.evidence;

import io.vestige.format.dir.DirectoryFormat;
import io.vestige.format.raw.RawFormat;
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
        c.add(new DirectoryFormat());
        // every regular file is raw media: keep last
        c.add(new RawFormat());
        List<VolumeSystemFormat> v = new ArrayList<>();
        // The Sleuth Kit's partition maps (DOS, GPT, APM, BSD, Sun) after the native readers: keep last
        v.add(new io.vestige.format.tsk.TskVolumeSystemFormat());
        List<FileSystemFormat> f = new ArrayList<>();
        // The Sleuth Kit (when libtsk is installed) reads what no native reader claims: keep last
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
