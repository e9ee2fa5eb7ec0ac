package org.daycare.registration.workflow;

import java.util.Locale;
import java.util.Optional;

import org.apache.camel.Body;

/**
 * Which registrations wait for the director's approval ({@code daycare.approval.required}): none (the original
 * flow), all, or those with special instructions (allergies, medication) that are not blank.
 */
public enum ApprovalPolicy implements ConfigurationSwitch {
    NEVER, ALWAYS, WITH_SPECIAL_INSTRUCTIONS;

    public static ApprovalPolicy parse(String configured) {
        try {
            return valueOf(configured.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("daycare.approval.required must be never, always or"
                    + " with-special-instructions: " + configured, e);
        }
    }

    /** The router "Approval Required" asks this of the registration that passed Check Spots Availability. */
    public boolean requires(@Body TaskResult available) {
        return switch (this) {
            case NEVER -> false;
            case ALWAYS -> true;
            case WITH_SPECIAL_INSTRUCTIONS -> {
                String instructions = available.registration().specialInstructions();
                yield instructions != null && !instructions.isBlank();
            }
        };
    }

    @Override
    public Optional<Boolean> always() {
        return switch (this) {
            case NEVER -> Optional.of(false);
            case ALWAYS -> Optional.of(true);
            case WITH_SPECIAL_INSTRUCTIONS -> Optional.empty();
        };
    }

    @Override
    public String condition() {
        return "$.body.specialInstructions is not blank";
    }
}
