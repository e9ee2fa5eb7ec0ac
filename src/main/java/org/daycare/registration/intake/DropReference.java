package org.daycare.registration.intake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the log names a dropped file that has no execution yet (it waits in the inbox through a database outage):
 * file names are often a child's name, so never by its name, but by a keyed digest of it. The same file gets the
 * same reference on every poll of one run of the service, so an operator can tell one stuck file from many; the
 * key is random per run and never leaves memory, so a reference cannot be matched against a list of names.
 */
public final class DropReference {

    private static final byte[] KEY = randomKey();

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private DropReference() {
    }

    public static String of(String fileName) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            byte[] digest = mac.doFinal(fileName.getBytes(StandardCharsets.UTF_8));
            return "drop-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }
}
