package org.daycare.registration.support;

import java.util.Map;

/**
 * One SNS notification as it arrived in the test queue (raw message delivery off), parsed from the
 * SNS envelope JSON.
 *
 * @param subject    the envelope's {@code Subject}, {@code null} when the publisher set none
 * @param message    the envelope's {@code Message} (the published body, verbatim)
 * @param attributes the envelope's {@code MessageAttributes}: name to {@code Value} (the
 *                   {@code Type} - String, Number, Binary - is dropped)
 */
public record ReceivedNotification(String subject, String message, Map<String, String> attributes) {

    public ReceivedNotification {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
