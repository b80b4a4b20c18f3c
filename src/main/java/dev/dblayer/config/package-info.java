/**
 * Internal: reading and validating MicroProfile Config values for the db and redis settings.
 * Not for application code; its API may change in any release.
 */
package dev.dblayer.config;
