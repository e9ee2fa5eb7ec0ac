package org.daycare.registration.admin;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/** The body of POST /executions/{id}/reject. */
@Schema(description = "Why the director rejects the registration")
public record RejectionRequest(@Schema(requiredMode = RequiredMode.REQUIRED, maxLength = AdminApi.MAX_REASON_LENGTH)
        String reason) {
}
