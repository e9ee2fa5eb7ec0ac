package org.daycare.registration.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer token that guards the admin endpoints (they expose personal data). Taken from configuration, or
 * generated at start-up and written to a file only the service's user can read; never logged.
 */
public final class AdminToken {

    private final byte[] expected;

    private AdminToken(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    public static AdminToken configuredOrGenerated(String configured, Path tokenFile) throws IOException {
        if (!configured.isBlank()) {
            return new AdminToken(configured.strip());
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(tokenFile.toAbsolutePath().getParent());
        Files.writeString(tokenFile, token + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // a non-POSIX file system: the data directory's own permissions protect it
        }
        return new AdminToken(token);
    }

    /** Checks an Authorization header value; the comparison takes the same time wherever the tokens differ. */
    public boolean admits(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorizationHeader.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, presented);
    }
}
