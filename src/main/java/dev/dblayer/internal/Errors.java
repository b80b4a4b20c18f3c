package dev.dblayer.internal;

/** Internal: how dblayer names the cause of a failure in logs, messages and health data. */
public final class Errors {

    private Errors() {
    }

    /** The innermost cause as {@code SimpleClassName: message}; drivers put the server's reason there. */
    public static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
