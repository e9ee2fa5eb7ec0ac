package org.daycare.registration.workflow;

import java.util.Optional;

/**
 * A router's predicate that configuration decides, wholly or in part (the routers "Approval Required" and "Waitlist
 * Enabled"): what the state-machine model draws of it. A switch that always answers the same is drawn as the branch
 * it takes, without the router.
 */
public interface ConfigurationSwitch {

    /** The answer for every registration under this configuration, or empty when it depends on the registration. */
    Optional<Boolean> always();

    /** What the answer depends on, when it does, as the model's transition condition. */
    String condition();
}
