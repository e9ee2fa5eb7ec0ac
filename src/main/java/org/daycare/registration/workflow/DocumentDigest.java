package org.daycare.registration.workflow;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * SHA-256 of a JSON document as parsed, so that two submissions are "the same document" whatever their
 * whitespace or key order: objects are written with their keys sorted, values as the parser read them
 * ({@code 1} and {@code 1.0} differ, as they do to the workflow). Strings are hashed as their UTF-16 code units,
 * so that even a lone surrogate is told apart from its replacement character.
 */
public final class DocumentDigest {

    private DocumentDigest() {
    }

    public static String of(JsonNode document) {
        MessageDigest sha256 = sha256();
        update(sha256, document);
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static void update(MessageDigest digest, JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                sorted.put(field.getKey(), field.getValue());
            }
            digest.update((byte) '{');
            sorted.forEach((key, value) -> {
                text(digest, key);
                update(digest, value);
            });
            digest.update((byte) '}');
        } else if (node.isArray()) {
            digest.update((byte) '[');
            node.forEach(element -> update(digest, element));
            digest.update((byte) ']');
        } else if (node.isTextual()) {
            text(digest, node.textValue());
        } else {
            // numbers, booleans and null: their JSON text, tagged so that 1 and "1" differ
            digest.update((byte) '#');
            text(digest, node.toString());
        }
    }

    /** Length-prefixed, so that no two sequences of strings hash alike by running into each other. */
    private static void text(MessageDigest digest, String text) {
        int length = text.length();
        digest.update(new byte[] {(byte) '"', (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        byte[] units = new byte[2 * length];
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            units[2 * i] = (byte) (c >>> 8);
            units[2 * i + 1] = (byte) c;
        }
        digest.update(units);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
