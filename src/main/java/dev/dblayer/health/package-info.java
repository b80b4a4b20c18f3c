/**
 * MicroProfile Health checks (database and Redis readiness within a deadline, the persistence unit's
 * startup) and the wait at shutdown for work in flight. Depends on db and redis; nothing depends on it.
 */
package dev.dblayer.health;
