/**
 * Internal: what the other packages share and applications never use. Reading and validating
 * MicroProfile Config values ({@code SettingsReader}, {@code Checks}, {@code Hosts}), naming the
 * cause of a failure ({@code Errors}), and the order in which dblayer's beans start and stop
 * ({@code Lifecycle}). Public only because Java packages cannot share otherwise; not part of the
 * API, and it may change in any release.
 */
package dev.dblayer.internal;
