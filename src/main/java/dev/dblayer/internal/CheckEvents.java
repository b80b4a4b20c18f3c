package dev.dblayer.internal;

/**
 * What a health check of dblayer's tells whoever measures it after each answer: its name, whether it
 * answered UP, and how long the answer took. Implementations must be cheap and never throw.
 *
 * <p>Internal to dblayer: public only for its packages ({@code dev.dblayer.metrics}).
 */
public interface CheckEvents {

    /** Measures nothing. */
    CheckEvents NONE = (check, up, nanos) -> {
    };

    void answered(String check, boolean up, long nanos);
}
