package org.daycare.registration.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/** A refused or failed admin request's answer: what went wrong, and for a failure of ours (500, 503) its cause. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A refused or failed admin request")
public record AdminProblem(@Schema(requiredMode = RequiredMode.REQUIRED) String error, String cause) {
}
