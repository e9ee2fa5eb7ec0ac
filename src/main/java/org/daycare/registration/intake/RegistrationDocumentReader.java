package org.daycare.registration.intake;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * Turns a submitted body into a JSON object, or rejects it before any execution starts. Size is checked
 * before parsing, and nesting depth and string length are bounded by the parser itself (see
 * {@code DaycareConfiguration#objectMapper}), so no hostile body is ever bound to objects in full.
 */
public final class RegistrationDocumentReader {

    // e.g. "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1]"
    // e.g. ", from `StreamReadConstraints.getMaxNestingDepth()`": the library's internals, not the client's business
    private static final Pattern LIBRARY_NOTE = Pattern.compile(",? from `[^`]*`");
    private static final Pattern TRAILING_CONTENT = Pattern.compile("(?i)trailing token");
    private static final Pattern SOURCE_NOTE = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)\\]");

    private final ObjectMapper objectMapper;
    private final long maxBodyBytes;

    public RegistrationDocumentReader(ObjectMapper objectMapper, long maxBodyBytes) {
        this.objectMapper = objectMapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** A dropped file is measured before it is read: one over the limit is refused without loading it. */
    public void requireFileWithinLimit(@Header(Exchange.FILE_LENGTH) long fileLength) {
        if (fileLength > maxBodyBytes) {
            throw new RejectedRequestException(RejectedRequest.tooLarge(maxBodyBytes));
        }
    }

    public JsonNode read(@Body byte[] body) {
        if (body == null || body.length == 0) {
            throw reject("The body is empty; it must be a JSON object.");
        }
        if (body.length > maxBodyBytes) {
            throw new RejectedRequestException(RejectedRequest.tooLarge(maxBodyBytes));
        }
        requireUtf8(body);
        JsonNode document;
        try {
            document = objectMapper.readTree(body);
        } catch (JsonProcessingException notJson) {
            if (TRAILING_CONTENT.matcher(notJson.getOriginalMessage()).find()) {
                throw reject("The body holds more than one JSON value; it must be exactly one JSON object.");
            }
            throw reject("The body is not valid JSON: " + describe(notJson));
        } catch (IOException unreadable) {
            throw reject("The body could not be read as JSON.");
        }
        if (document == null || document.isMissingNode()) {
            throw reject("The body is empty; it must be a JSON object.");
        }
        if (!document.isObject()) {
            throw reject("The body must be a JSON object, not " + article(document.getNodeType()) + ".");
        }
        return document;
    }

    /**
     * JSON between systems is UTF-8 (RFC 8259). The parser alone would read overlong forms (C0 AF as "/") and
     * encoded surrogates, or detect UTF-16; a strict decoder refuses them first. A UTF-8 byte-order mark is fine.
     */
    private static void requireUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException notUtf8) {
            throw reject("The body is not valid UTF-8 text.");
        }
    }

    private static RejectedRequestException reject(String cause) {
        return new RejectedRequestException(RejectedRequest.malformed(cause));
    }

    /** Jackson's own message, without its note on source excerpts, plus where the problem is. */
    private static String describe(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        String message = SOURCE_NOTE.matcher(e.getOriginalMessage()).replaceAll("[line $1, column $2]");
        return LIBRARY_NOTE.matcher(message).replaceAll("") + where;
    }

    private static String article(JsonNodeType type) {
        return switch (type) {
            case ARRAY -> "an array";
            case NULL -> "null";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "a " + type.name().toLowerCase();
        };
    }
}
