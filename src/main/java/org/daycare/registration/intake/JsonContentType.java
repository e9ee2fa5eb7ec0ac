package org.daycare.registration.intake;

import java.util.Locale;

/** Which Content-Type headers a registration may carry: JSON media types, with or without parameters, or none. */
public final class JsonContentType {

    private JsonContentType() {
    }

    public static boolean isAcceptable(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }
}
