package dev.dblayer.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

import jakarta.persistence.PersistenceException;
import jakarta.servlet.ServletException;

class PoolTimeoutsTest {

    @Test
    void findsThePoolTimeoutUnderTheWrappersOfEclipseLinkAndTheServer() {
        SQLTransientConnectionException timeout = new SQLTransientConnectionException(
                "dblayer - Connection is not available, request timed out after 300ms");
        Throwable wrapped = new ServletException("request failed",
                new PersistenceException("Exception [EclipseLink-4002]", new RuntimeException(timeout)));
        assertEquals(timeout, PoolTimeouts.find(wrapped).orElse(null), "the timeout three causes down is found");
    }

    @Test
    void ignoresOtherFailures() {
        assertTrue(PoolTimeouts.find(new PersistenceException("constraint", new SQLException("duplicate key")))
                .isEmpty(), "an SQL failure that is not a pool timeout is not one");
        assertTrue(PoolTimeouts.find(new IllegalStateException()).isEmpty(), "nor is a failure with no cause");
    }

    @Test
    void stopsOnACycleOfCauses() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        assertTrue(PoolTimeouts.find(first).isEmpty(), "a cycle of causes ends the search");
    }

    @Test
    void theProblemIsJsonThatNamesTheSetting() {
        assertTrue(PoolTimeouts.PROBLEM.startsWith("{\"type\":\"about:blank\"") && PoolTimeouts.PROBLEM.endsWith("}")
                && PoolTimeouts.PROBLEM.contains("database.pool.timeout") && !PoolTimeouts.PROBLEM.contains("\n"),
                "one line of JSON naming the setting: " + PoolTimeouts.PROBLEM);
    }
}
