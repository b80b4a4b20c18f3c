package dev.dblayer.internal;

import java.util.ArrayList;
import java.util.List;
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
    static final String LIST_ALLOWED = "a host name or IP address, or several separated by commas, each with an"
            + " optional :port from " + 1 + " to " + 65535;
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

    /**
     * The hosts of {@code hosts}, the value of {@code key}: one host, or several separated by commas,
     * each with an optional {@code :port} ({@code pg1,pg2:5433}, {@code [::1]:5432}); each written as
     * {@code host:port}, with {@code defaultPort} where none is given. A bare IPv6 address takes no
     * port; put it in brackets to give one.
     */
    public static List<String> withPorts(String key, String hosts, int defaultPort) {
        Checks.given(key, hosts);
        List<String> written = new ArrayList<>();
        for (String entry : hosts.split(",", -1)) {
            String host = entry.trim();
            int port = defaultPort;
            int colon = host.lastIndexOf(':');
            boolean bracketed = host.startsWith("[") && host.indexOf(']') > 0;
            if (colon > 0 && (bracketed ? colon > host.indexOf(']') : host.indexOf(':') == colon)) {
                String number = host.substring(colon + 1);
                host = host.substring(0, colon);
                try {
                    port = Integer.parseInt(number);
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < MIN_PORT || port > MAX_PORT) {
                    throw SettingsReader.invalid(key, hosts, LIST_ALLOWED + "; \"" + number + "\" is not a port");
                }
            }
            try {
                check(key, host);
            } catch (IllegalArgumentException e) {
                throw SettingsReader.invalid(key, hosts, LIST_ALLOWED);
            }
            written.add(withPort(host, port));
        }
        return written;
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
