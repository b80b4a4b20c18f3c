package dev.dblayer.internal;

import java.util.regex.Pattern;

/**
 * Internal: host and port settings, checked and written in one place for the database and Redis.
 *
 * <p>A host is a name ({@code db.internal}, {@code db_1}), an IPv4 address, or an IPv6 address with
 * or without brackets ({@code ::1}, {@code [::1]}, {@code fe80::1%eth0}). Brackets are accepted
 * only around an IPv6 address, and a port is never part of a host: {@code db:5432} is rejected
 * at startup rather than failing later as a URL with two ports. The IPv6 check is the address's
 * alphabet and at least two colons, not its full grammar; the driver reports the rest.
 */
public final class Hosts {

    /** The lowest port a setting accepts. */
    public static final int MIN_PORT = 1;
    /** The highest port a setting accepts. */
    public static final int MAX_PORT = 65535;

    static final String ALLOWED = "a host name or IP address, without a port";
    /** DNS limits a name to 253 characters. */
    private static final int MAX_NAME_LENGTH = 253;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?");
    /** Hex groups and dots (an embedded IPv4 address) between two to eight colons, then a zone. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f.]*(:[0-9A-Fa-f.]*){2,8}(%[A-Za-z0-9._-]+)?");

    private Hosts() {
    }

    /** {@code host}, the value of {@code key}, if it is a host name or IP address; see the class documentation. */
    public static String check(String key, String host) {
        Checks.given(key, host);
        boolean valid;
        if (host.startsWith("[") && host.endsWith("]")) {
            valid = IPV6.matcher(host.substring(1, host.length() - 1)).matches();
        } else if (host.indexOf(':') >= 0) {
            valid = IPV6.matcher(host).matches();
        } else {
            valid = host.length() <= MAX_NAME_LENGTH && NAME.matcher(host).matches();
        }
        if (!valid) {
            throw SettingsReader.invalid(key, host, ALLOWED);
        }
        return host;
    }

    /** {@code port}, the value of {@code key}, if it is from {@link #MIN_PORT} to {@link #MAX_PORT}. */
    public static int port(String key, int port) {
        return Checks.range(key, port, MIN_PORT, MAX_PORT);
    }

    /**
     * {@code host:port} as URLs and messages write it: an IPv6 address in brackets, once
     * ({@code ::1} and {@code [::1]} both give {@code [::1]:5432}).
     */
    public static String withPort(String host, int port) {
        boolean bareIpv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
        return (bareIpv6 ? "[" + host + "]" : host) + ":" + port;
    }
}
