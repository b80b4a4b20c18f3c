package dev.dblayer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostsTest {

    private static final String KEY = "some.host";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"localhost", "db.internal", "db_1", "my-db.example.com.", "10.0.0.5", "::1", "[::1]",
            "2001:db8::7", "[2001:db8::7]", "fe80::1%eth0", "[fe80::1%eth0]", "::ffff:192.0.2.1",
            "1:2:3:4:5:6:7:8"})
    void acceptsHostNamesAndIpAddresses(String host) {
        assertEquals(host, Hosts.check(KEY, host), host + " is a host and is kept as given");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "db host", "db/1", "db:5432", "db.internal:5432", "[db]", "[::1", "::1]",
            "db%eth0", ".db", "db..internal", "[::1]:6379", "::g", "a\tb"})
    void rejectsAnythingElseNamingKeyValueAndWhatIsAllowed(String host) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Hosts.check(KEY, host),
                "\"" + host + "\" is not a host");
        assertEquals(KEY + " must be a host name or IP address, without a port but was \"" + host + "\"",
                error.getMessage(), "the message has the one settings format");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0, 65536, -1})
    void rejectsPortsOutsideOneTo65535(int port) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Hosts.port(KEY, port),
                port + " is not a port");
        assertEquals(KEY + " must be a whole number from 1 to 65535 but was \"" + port + "\"", error.getMessage(),
                "the message names the key, the range and the port");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"db, db:5432", "10.0.0.5, 10.0.0.5:5432", "::1, [::1]:5432", "'[::1]', [::1]:5432",
            "fe80::1%eth0, [fe80::1%eth0]:5432"})
    void writesHostAndPortWithAnIpv6AddressBracketedOnce(String host, String written) {
        assertEquals(written, Hosts.withPort(host, 5432), "host:port for " + host);
    }
}
