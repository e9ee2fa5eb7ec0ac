package org.daycare.registration.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Secrets the service generates into its data directory (the admin token, the status tokens' key). */
public final class SecretFiles {

    private SecretFiles() {
    }

    /**
     * The file is created owner-only (never readable by others, not even for a moment) under a new name beside the
     * target, then renamed over it. Writing into an earlier file instead would hand the secret to whoever holds it
     * open, or follow a link planted in its place.
     */
    public static void writeOwnerOnly(Path file, String content) throws IOException {
        Path directory = Files.createDirectories(file.toAbsolutePath().getParent());
        Path written;
        try {
            written = Files.createTempFile(directory, "." + file.getFileName() + "-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            // a non-POSIX file system: the data directory's own permissions protect it
            written = Files.createTempFile(directory, "." + file.getFileName() + "-", ".tmp");
        }
        try {
            Files.writeString(written, content, StandardCharsets.UTF_8);
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(written);
        }
    }
}
