/**
 * Snowflake ids: 64-bit, time-ordered ids made by the application, with node ids fixed by settings
 * or leased from Redis. Sits above {@code db} and {@code redis}, which never depend on it.
 */
package dev.dblayer.snowflake;
