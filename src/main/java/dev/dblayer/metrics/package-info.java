/**
 * Metrics of dblayer's pools (and, where an application has MicroProfile Telemetry, traces of its
 * transactions and Redis helpers), published through MicroProfile Metrics and OpenTelemetry when
 * the server gives the application either, and not at all otherwise. Sits above {@code db},
 * {@code redis} and {@code snowflake}; nothing depends on it.
 */
package dev.dblayer.metrics;
