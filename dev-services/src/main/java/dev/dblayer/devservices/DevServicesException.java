package dev.dblayer.devservices;

/** Dev services refused to start, or what they started failed: the application is not deployed. */
final class DevServicesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DevServicesException(String message) {
        super(message);
    }

    DevServicesException(String message, Throwable cause) {
        super(message, cause);
    }
}
