package io.moescope.platform.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** The data dir and the embedded servers' folders hold routing data and secrets: their owner only (0700). */
final class PrivateFolders {

    private static final Set<PosixFilePermission> OWNER = PosixFilePermissions.fromString("rwx------");
    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions.asFileAttribute(OWNER);

    /** Creates the folder, or narrows an existing one (made by an earlier version with 0755) to its owner. */
    static Path ownerOnly(Path folder) throws IOException {
        Files.createDirectories(folder, OWNER_ONLY);
        Files.setPosixFilePermissions(folder, OWNER);
        return folder;
    }

    private PrivateFolders() {
    }
}
