package dev.dblayer.redis;

import java.net.Socket;
import java.net.SocketException;

import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Jedis's socket factory (plain or TLS, as the client config says) with {@code redis.keepalive}
 * applied. Jedis always turns TCP keepalive on; this exists only so that {@code false} is honoured.
 */
final class KeepAliveSocketFactory extends DefaultJedisSocketFactory {

    private final boolean keepalive;

    KeepAliveSocketFactory(HostAndPort address, JedisClientConfig config, boolean keepalive) {
        super(address, config);
        this.keepalive = keepalive;
    }

    @Override
    public Socket createSocket() throws JedisConnectionException {
        Socket socket = super.createSocket();
        try {
            // On a TLS socket Jedis's wrapper passes this on to the underlying TCP socket.
            socket.setKeepAlive(keepalive);
        } catch (SocketException e) {
            closeQuietly(socket, e);
            throw new JedisConnectionException("Cannot set TCP keepalive=" + keepalive, e);
        }
        return socket;
    }

    private static void closeQuietly(Socket socket, Exception failure) {
        try {
            socket.close();
        } catch (java.io.IOException e) {
            failure.addSuppressed(e);
        }
    }
}
