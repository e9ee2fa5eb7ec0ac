package org.daycare.registration.intake;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import org.daycare.registration.rules.Registration;

/**
 * The body of POST /registrations, for the OpenAPI document only: the route reads the raw bytes as a JSON tree (see
 * {@link RegistrationDocumentReader}) and Check Information reads that, so nothing is ever bound to this type.
 */
@Schema(description = "A registration to run through the workflow")
public record RegistrationRequest(
        @Schema(requiredMode = RequiredMode.REQUIRED) @JsonProperty("registration_info") Registration registrationInfo) {
}
