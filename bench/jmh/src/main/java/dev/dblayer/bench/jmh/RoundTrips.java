package dev.dblayer.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on a free loopback port to a database on loopback that counts round trips: the
 * times the server answered after the client had sent something, summed over every connection
 * through it. A JDBC batch the driver sends in one go is one round trip; a statement that waits
 * for its reply before the next is sent is one each. Adds latency: only for counting, never timed.
 */
final class RoundTrips implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicLong trips = new AtomicLong();

    RoundTrips(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "round-trips-accept");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    long count() {
        return trips.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                AtomicBoolean clientSpoke = new AtomicBoolean();
                pump(client, server, () -> clientSpoke.set(true));
                pump(server, client, () -> {
                    if (clientSpoke.getAndSet(false)) {
                        trips.incrementAndGet();
                    }
                });
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.err.println("round-trips: " + e);
                }
            }
        }
    }

    private static void pump(Socket from, Socket to, Runnable onData) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[65536];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    onData.run();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side closed: so does this one
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "round-trips-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
