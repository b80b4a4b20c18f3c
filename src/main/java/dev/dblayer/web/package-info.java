/**
 * HTTP answers for the data layer's failures: a request that found no free database connection
 * within {@code database.pool.timeout} gets 503 with Retry-After. Depends on nothing else of dblayer.
 */
package dev.dblayer.web;
