package org.daycare.registration.intake;

import java.io.IOException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import org.apache.camel.Body;

/**
 * Turns a submitted body into a JSON object, or rejects it before any execution starts. Size is checked
 * before parsing, and nesting depth and string length are bounded by the parser itself (see
 * {@code DaycareConfiguration#objectMapper}), so no hostile body is ever bound to objects in full.
 */
public final class RegistrationDocumentReader {

    // e.g. "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1]"
    private static final Pattern SOURCE_NOTE = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)\\]");

    private final ObjectMapper objectMapper;
    private final long maxBodyBytes;

    public RegistrationDocumentReader(ObjectMapper objectMapper, long maxBodyBytes) {
        this.objectMapper = objectMapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    public JsonNode read(@Body byte[] body) {
        if (body == null || body.length == 0) {
            throw reject("The body is empty; it must be a JSON object.");
        }
        if (body.length > maxBodyBytes) {
            throw new RejectedRequestException(RejectedRequest.tooLarge(maxBodyBytes));
        }
        JsonNode document;
        try {
            document = objectMapper.readTree(body);
        } catch (JsonProcessingException notJson) {
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

    private static RejectedRequestException reject(String cause) {
        return new RejectedRequestException(RejectedRequest.malformed(cause));
    }

    /** Jackson's own message, without its note on source excerpts, plus where the problem is. */
    private static String describe(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return SOURCE_NOTE.matcher(e.getOriginalMessage()).replaceAll("[line $1, column $2]") + where;
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
