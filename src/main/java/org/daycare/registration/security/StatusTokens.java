package org.daycare.registration.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The status link's bearer tokens: 256 bits each, an HMAC-SHA256 of the execution id under the service's secret
 * key, so that a replay through the same Idempotency-Key can give the token again while the database keeps only
 * its SHA-256. Whoever reads the database learns no token; whoever holds the key could make them all, so it is
 * configured ({@code daycare.status-token.secret}) or generated once into the data directory, owner-only, and
 * never logged. Instances sharing a database must share it.
 */
public final class StatusTokens {

    /** A configured secret shorter than this is refused at start-up. */
    public static final int MIN_SECRET_LENGTH = 32;

    private final SecretKeySpec key;

    private StatusTokens(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The configured secret, else the one in {@code secretFile}, generated there on first use and kept. */
    public static StatusTokens configuredOrGenerated(String configured, Path secretFile) throws IOException {
        if (!configured.isBlank()) {
            if (configured.strip().length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("daycare.status-token.secret is " + configured.strip().length()
                        + " characters long; it must have at least " + MIN_SECRET_LENGTH + ". Leave it empty to have one"
                        + " generated into " + secretFile);
            }
            return new StatusTokens(configured.strip());
        }
        if (Files.exists(secretFile)) {
            String kept = Files.readString(secretFile, StandardCharsets.UTF_8).strip();
            if (kept.length() < MIN_SECRET_LENGTH) {
                throw new IllegalStateException(secretFile + " holds no status-token key of at least " + MIN_SECRET_LENGTH
                        + " characters; delete it to have a new one generated (every status link given so far stops"
                        + " working), or set daycare.status-token.secret");
            }
            return new StatusTokens(kept);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        SecretFiles.writeOwnerOnly(secretFile, secret + "\n");
        return new StatusTokens(secret);
    }

    public String tokenFor(String executionId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(("status-token:" + executionId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }

    /** What the database keeps of a token. */
    public static String digestOf(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Whether an Authorization header carries the token whose digest is stored; the same time wherever they differ. */
    public static boolean admits(String authorizationHeader, String storedDigest) {
        if (storedDigest == null || authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = digestOf(authorizationHeader.substring(7).strip()).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(storedDigest.getBytes(StandardCharsets.US_ASCII), presented);
    }
}
