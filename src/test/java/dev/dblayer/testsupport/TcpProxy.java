package dev.dblayer.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP port on loopback in front of a real server, in one of four states: forwarding to the
 * server, frozen (connections stay open but no byte moves either way), a black hole (accepts
 * connections, reads, never answers) or closed (connections refused). Lets a test take a
 * dependency down, hang it or bring it back while the application keeps its settings. Every
 * socket it opens is closed by {@link #close()}.
 */
public final class TcpProxy implements AutoCloseable {

    /** What the port does with connections. */
    public enum Mode {
        FORWARD,
        /**
         * A server that hangs mid-conversation: open connections stay open, new ones are accepted
         * and connected to the server, but no byte (nor a close) passes in either direction until
         * the mode is FORWARD again, when everything held passes on.
         */
        FROZEN,
        BLACKHOLE,
        CLOSED
    }

    private final int port;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.CLOSED;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private int peak;
    private long accepted;
    private volatile ServerSocket server;
    /** Pumps wait on it while FROZEN. */
    private final Object gate = new Object();

    private TcpProxy(int port, int targetPort) {
        this.port = port;
        this.targetPort = targetPort;
    }

    /** A proxy on a free port in front of {@code 127.0.0.1:targetPort}, closed until {@link #mode} opens it. */
    public static TcpProxy to(int targetPort) {
        return new TcpProxy(RedisServerProcess.freePort(), targetPort);
    }

    public int port() {
        return port;
    }

    /**
     * Switches state; existing connections are cut whenever the state changes, except between
     * FORWARD and FROZEN, which keep them.
     */
    public synchronized TcpProxy mode(Mode next) {
        if (next == mode) {
            return this;
        }
        Mode previous = mode;
        boolean keep = (previous == Mode.FORWARD && next == Mode.FROZEN)
                || (previous == Mode.FROZEN && next == Mode.FORWARD);
        if (!keep) {
            cutConnections();
        }
        synchronized (gate) {
            mode = next;
            gate.notifyAll();
        }
        if (next == Mode.CLOSED) {
            closeServer();
        } else if (previous == Mode.CLOSED) {
            try {
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                server = socket;
                Thread acceptor = new Thread(() -> accept(socket), "tcp-proxy-" + port);
                acceptor.setDaemon(true);
                acceptor.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot listen on 127.0.0.1:" + port, e);
            }
        }
        return this;
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                sockets.add(client);
                recordOpen(client);
                if (mode == Mode.FORWARD || mode == Mode.FROZEN) {
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    sockets.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } else {
                    pump(client, null); // read and drop: the peer waits for an answer that never comes
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /**
     * The most client connections that were open at once since the last call, which resets it to
     * the number open now.
     */
    public synchronized int takePeakConnections() {
        clients.removeIf(Socket::isClosed);
        int result = Math.max(peak, clients.size());
        peak = clients.size();
        return result;
    }

    /** The client connections accepted since the proxy was made. */
    public synchronized long acceptedConnections() {
        return accepted;
    }

    /** Connections only grow at accept, so sampling there gives the exact peak. */
    private synchronized void recordOpen(Socket client) {
        accepted++;
        clients.removeIf(Socket::isClosed);
        clients.add(client);
        peak = Math.max(peak, clients.size());
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to == null ? null : to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    awaitThaw();
                    if (out != null) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
                awaitThaw(); // a close is held while frozen, like the bytes
            } catch (IOException e) {
                // the other side went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                if (to != null) {
                    closeQuietly(to);
                }
            }
        }, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void awaitThaw() throws InterruptedException {
        synchronized (gate) {
            while (mode == Mode.FROZEN) {
                gate.wait();
            }
        }
    }

    private void cutConnections() {
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    private void closeServer() {
        if (server != null) {
            closeQuietly(server);
            server = null;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing is best effort
        }
    }

    @Override
    public synchronized void close() {
        cutConnections();
        closeServer();
        synchronized (gate) {
            mode = Mode.CLOSED;
            gate.notifyAll();
        }
    }
}
