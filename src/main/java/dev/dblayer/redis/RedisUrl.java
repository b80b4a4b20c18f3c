package dev.dblayer.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

import dev.dblayer.internal.Hosts;
import dev.dblayer.internal.SettingsReader;

/**
 * A parsed {@code redis.url}: {@code redis://[[user]:password@]host[:port][/database]}, or
 * {@code rediss://} for TLS. User and password may be percent-encoded. Messages about a bad URL
 * show it through {@link #redact}, so they never contain the password.
 */
record RedisUrl(String host, int port, Optional<String> user, Optional<String> password,
        OptionalInt database, boolean ssl) {

    static final int DEFAULT_PORT = 6379;
    private static final String ALLOWED = "a URL of the form redis://[[user]:password@]host[:port][/database]"
            + " or rediss://... for TLS";

    /** Parses {@code text}, the value of {@code key}; throws {@link IllegalArgumentException} naming the key. */
    static RedisUrl parse(String key, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            // URISyntaxException's message quotes the whole input, password included: not used.
            throw SettingsReader.invalid(key, redact(text), ALLOWED + " (it is not a valid URI)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw SettingsReader.invalid(key, redact(text), ALLOWED + " (scheme must be redis or rediss)");
        }
        if (uri.getHost() == null) {
            throw SettingsReader.invalid(key, redact(text), ALLOWED + " (no host)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw SettingsReader.invalid(key, redact(text),
                    ALLOWED + " (no ?query or #fragment: use the separate redis.* settings)");
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        if (port < Hosts.MIN_PORT || port > Hosts.MAX_PORT) {
            throw SettingsReader.invalid(key, redact(text),
                    ALLOWED + " (port from " + Hosts.MIN_PORT + " to " + Hosts.MAX_PORT + ")");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            // As in redis-py: "user@" is a user without password, ":secret@" a password without user.
            String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
            user = Optional.of(decode(key, text, rawUser)).filter(u -> !u.isEmpty());
            if (colon >= 0) {
                password = Optional.of(decode(key, text, userInfo.substring(colon + 1)));
            }
        }
        return new RedisUrl(uri.getHost(), port, user, password, database(key, text, uri.getPath()),
                scheme.equals("rediss"));
    }

    private static OptionalInt database(String key, String text, String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return OptionalInt.empty();
        }
        try {
            int index = Integer.parseInt(path.substring(1));
            if (index >= 0) {
                return OptionalInt.of(index);
            }
        } catch (NumberFormatException e) {
            // reported below, with the allowed form
        }
        throw SettingsReader.invalid(key, redact(text), ALLOWED + " (database: a whole number from 0)");
    }

    private static String decode(String key, String text, String part) {
        try {
            // "+" is a literal plus in user info, not a space as in form encoding.
            return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SettingsReader.invalid(key, redact(text), ALLOWED + " (bad %-escape in user or password)");
        }
    }

    /**
     * The URL with everything between {@code ://} and the last {@code @} replaced by {@code ***},
     * so that user info never reaches a message, even when the URL is malformed.
     */
    static String redact(String url) {
        int at = url.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        int start = url.indexOf("://");
        start = start >= 0 && start < at ? start + 3 : 0;
        return url.substring(0, start) + "***" + url.substring(at);
    }
}
