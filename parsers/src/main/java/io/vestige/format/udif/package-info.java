/**
 * Apple disk images: UDIF {@code .dmg} ({@link io.vestige.format.udif.UdifImage}, every chunk codec,
 * XML-plist and resource-fork blkx tables, segmented sets, CRC-32 verification), {@code .sparseimage},
 * {@code .sparsebundle} folders and encrypted {@code encrcdsa} v2 images. Adapters:
 * {@link io.vestige.format.udif.UdifFormat}, {@link io.vestige.format.udif.SparseImageFormat},
 * {@link io.vestige.format.udif.SparseBundleFormat}, {@link io.vestige.format.udif.EncryptedDmgFormat}.
 * Reference: FORMATS.md §2 and §8.
 *
 * <p>Not supported (yet): sparse images whose band table continues beyond the first header. Encrypted
 * sparse bundles follow sparsebundlefs's reading (per-band block numbering) and are untested on Apple-made bundles. {@code encrcdsa} v2 was checked on one Apple-made AES-256
 * image (citruz/dmgwiz's test image); {@code cdsaencr} v1 only against the fixture writer.
 */
package io.vestige.format.udif;
