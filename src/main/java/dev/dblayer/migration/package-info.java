/**
 * Versioned schema migrations with Flyway: the {@code database.migration.*} settings and the runner
 * that {@code db} calls before it deploys a persistence unit whose schema comes from migrations
 * ({@code database.schema-generation=migrate} or {@code validate}). Depends only on
 * {@code internal}; Flyway itself is optional and loaded only when a database migrates.
 */
package dev.dblayer.migration;
