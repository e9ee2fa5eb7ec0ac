package org.daycare.registration.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;

/** Writes result documents as JSON, with the one shared ObjectMapper. */
public final class ResultDocuments {

    private final ObjectMapper objectMapper;

    public ResultDocuments(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    public byte[] toJson(@Body ResultDocument document) throws JsonProcessingException {
        if (document instanceof StoredResult stored) {
            return stored.json().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return objectMapper.writeValueAsBytes(document);
    }

    public String toJsonText(ResultDocument document) throws JsonProcessingException {
        return new String(toJson(document), java.nio.charset.StandardCharsets.UTF_8);
    }
}
