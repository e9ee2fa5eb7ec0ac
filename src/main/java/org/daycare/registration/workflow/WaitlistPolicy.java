package org.daycare.registration.workflow;

import java.util.Optional;

/**
 * Whether a registration that finds a requested day full joins the waitlist ({@code daycare.waitlist.enabled}): the
 * router "Waitlist Enabled". Off, the original Notify No Spots end.
 */
public record WaitlistPolicy(boolean enabled) implements ConfigurationSwitch {

    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public Optional<Boolean> always() {
        return Optional.of(enabled);
    }

    @Override
    public String condition() {
        return "daycare.waitlist.enabled";
    }
}
