package dev.dblayer.devservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;

/** Addresses on this machine: whether a host is one, whether something answers there, a free port. */
final class Loopback {

    /** Where the embedded servers listen, and where dblayer's settings then point. */
    static final String HOST = "127.0.0.1";

    private Loopback() {
    }

    /** Whether every address {@code host} names is a loopback address ({@code localhost}, 127.0.0.0/8, ::1). */
    static boolean is(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether a TCP connection to {@code host:port} is accepted within {@code timeout}, at any of its addresses. */
    static boolean answers(String host, int port, Duration timeout) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return false;
        }
        for (InetAddress address : addresses) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), Math.toIntExact(timeout.toMillis()));
                return true;
            } catch (IOException e) {
                // refused or no answer at this address
            }
        }
        return false;
    }

    /** A port that nothing listens on at {@link #HOST} now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }
}
