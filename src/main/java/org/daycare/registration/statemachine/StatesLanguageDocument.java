package org.daycare.registration.statemachine;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * The shape of GET /state-machine.asl.json for the OpenAPI document; the answer itself is built as a JSON tree by
 * {@link AmazonStatesLanguage}.
 */
@Schema(description = "Amazon States Language: StartAt and the States by name")
public record StatesLanguageDocument(
        @JsonProperty("Comment") String comment,
        @Schema(requiredMode = RequiredMode.REQUIRED) @JsonProperty("StartAt") String startAt,
        @Schema(requiredMode = RequiredMode.REQUIRED) @JsonProperty("States") Map<String, Object> states) {
}
