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
 * A TCP port on loopback in front of a real server, in one of three states: forwarding to the
 * server, a black hole (accepts connections, reads, never answers) or closed (connections refused).
 * Lets a test take a dependency down, hang it or bring it back while the application keeps its
 * settings. Every socket it opens is closed by {@link #close()}.
 */
public final class TcpProxy implements AutoCloseable {

    /** What the port does with connections. */
    public enum Mode { FORWARD, BLACKHOLE, CLOSED }

    private final int port;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.CLOSED;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private int peak;
    private volatile ServerSocket server;

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

    /** Switches state; existing connections are cut whenever the state changes. */
    public synchronized TcpProxy mode(Mode next) {
        if (next == mode) {
            return this;
        }
        cutConnections();
        Mode previous = mode;
        mode = next;
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
                if (mode == Mode.FORWARD) {
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

    /** Connections only grow at accept, so sampling there gives the exact peak. */
    private synchronized void recordOpen(Socket client) {
        clients.removeIf(Socket::isClosed);
        clients.add(client);
        peak = Math.max(peak, clients.size());
    }

    private static void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to == null ? null : to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (out != null) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the other side went away
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
        mode = Mode.CLOSED;
    }
}
