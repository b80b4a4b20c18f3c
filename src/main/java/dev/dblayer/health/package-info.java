/**
 * MicroProfile Health checks: readiness of the database and Redis, each bounded by a deadline, and
 * a startup check for the persistence unit. Depends on db and redis; nothing depends on it.
 */
package dev.dblayer.health;
