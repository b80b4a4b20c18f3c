package dev.dblayer.devservices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.dblayer.internal.SettingsReader;

/** The dev services' settings and the loopback test, without starting anything. */
class DevSettingsTest {

    @Test
    void offUnlessTrueWithDataUnderTheWorkingDirectory() {
        DevSettings none = DevSettings.read(SettingsReader.of(Map.of()));
        assertFalse(none.enabled());
        assertFalse(none.reset());
        assertEquals(Path.of("dblayer-dev-services").toAbsolutePath(), none.data());

        DevSettings on = DevSettings.read(SettingsReader.of(Map.of("dblayer.dev-services", "TRUE",
                "dblayer.dev-services.data", "/tmp/x/../dev", "dblayer.dev-services.reset", "true")));
        assertTrue(on.enabled() && on.reset());
        assertEquals(Path.of("/tmp/dev"), on.data());
    }

    @Test
    void aValueThatIsNotABooleanNamesTheSettingAndWhatIsAllowed() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> DevSettings.read(SettingsReader.of(Map.of("dblayer.dev-services", "yes"))));
        assertTrue(bad.getMessage().contains("dblayer.dev-services"), bad.getMessage());
        assertTrue(bad.getMessage().contains("yes"), bad.getMessage());
        assertTrue(bad.getMessage().contains("true or false"), bad.getMessage());
    }

    @Test
    void onlyLoopbackAddressesAreLoopback() {
        assertTrue(Loopback.is("localhost"));
        assertTrue(Loopback.is("127.0.0.1"));
        assertTrue(Loopback.is("127.1.2.3"));
        assertTrue(Loopback.is("::1"));
        assertFalse(Loopback.is("192.0.2.10"));
        assertFalse(Loopback.is("10.0.0.1"));
        assertFalse(Loopback.is("host.invalid"), "a name that does not resolve is not taken for loopback");
    }
}
