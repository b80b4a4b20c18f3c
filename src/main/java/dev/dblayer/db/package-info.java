/**
 * The persistence layer: settings, connection pool, persistence unit, the request's
 * {@code EntityManager} and {@code @Transactional} on it. Never depends on redis or health.
 */
package dev.dblayer.db;
