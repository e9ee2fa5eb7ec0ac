package org.daycare.registration.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import org.daycare.registration.security.SecretFiles;

/**
 * The bearer token that guards the admin endpoints (they expose personal data). Taken from configuration, or
 * generated at start-up and written to a file only the service's user can read; never logged.
 */
public final class AdminToken {

    /** A configured token shorter than this is refused at start-up: the admin endpoints are on the open port. */
    public static final int MIN_CONFIGURED_LENGTH = 16;

    private final byte[] expected;

    private AdminToken(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    public static AdminToken configuredOrGenerated(String configured, Path tokenFile) throws IOException {
        if (!configured.isBlank()) {
            String token = configured.strip();
            if (token.length() < MIN_CONFIGURED_LENGTH) {
                // the length only, never the token
                throw new IllegalArgumentException("daycare.admin.token is " + token.length() + " characters long;"
                        + " it must have at least " + MIN_CONFIGURED_LENGTH + ", as a short bearer token can be guessed."
                        + " Set a longer one, or leave it empty to have one generated into " + tokenFile);
            }
            return new AdminToken(token);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        SecretFiles.writeOwnerOnly(tokenFile, token + "\n");
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
