package dev.dblayer.devservices;

/** A server that dev services started: where it listens, and how it stops. */
interface DevService {

    /** The port it listens on at {@link Loopback#HOST}. */
    int port();

    /** What it is, for the log: type, version, port, data directory. */
    String describe();

    /** Stops it and waits until it has; never throws (a failure is logged). */
    void stop();
}
