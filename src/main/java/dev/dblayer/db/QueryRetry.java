package dev.dblayer.db;

import org.eclipse.persistence.sessions.Session;

/**
 * Makes EclipseLink retry a read that failed on a broken connection once, at once, instead of up to
 * three times with 5 s of sleep before each. The pool validates the connection it hands out, so one
 * immediate retry covers a connection that died while pooled; the sleeps only held requests during
 * an outage and delayed recovery by up to 5 s after it. Part of {@link SessionSetup}.
 */
final class QueryRetry {

    static final int ATTEMPTS = 1;
    static final int DELAY_MILLIS = 0;

    private QueryRetry() {
    }

    /** Sets the retry count and delay on the session's login. */
    static void apply(Session session) {
        session.getLogin().setQueryRetryAttemptCount(ATTEMPTS);
        session.getLogin().setDelayBetweenConnectionAttempts(DELAY_MILLIS);
    }
}
