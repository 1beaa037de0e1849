/**
 * Mach-O executables: thin 32/64-bit images in either byte order and universal (fat) files, parsed
 * down to their load commands from a {@link io.vestige.io.ByteSource}. Entry point:
 * {@link io.vestige.format.macho.MachOFile#parse}. Spec: xnu {@code EXTERNAL_HEADERS/mach-o/loader.h},
 * {@code fat.h}; FORMATS.md section 5.1.
 */
package io.vestige.format.macho;
