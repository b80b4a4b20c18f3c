package dev.dblayer.devservices;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import dev.dblayer.internal.SettingsReader;

/**
 * The {@code dblayer.dev-services*} settings.
 *
 * @param enabled whether dev services may start anything ({@value #ENABLED}; off unless {@code true})
 * @param data the directory of their data ({@value #DATA}); relative to the server's working directory,
 *     which is the server's output directory in Open Liberty
 * @param reset whether they start empty ({@value #RESET}), deleting the data of the last start
 */
record DevSettings(boolean enabled, Path data, boolean reset) {

    static final String ENABLED = "dblayer.dev-services";
    static final String DATA = "dblayer.dev-services.data";
    static final String RESET = "dblayer.dev-services.reset";
    static final String DEFAULT_DATA = "dblayer-dev-services";

    static DevSettings read(SettingsReader config) {
        boolean enabled = config.bool(ENABLED, false);
        String data = config.string(DATA, DEFAULT_DATA);
        try {
            return new DevSettings(enabled, Path.of(data).toAbsolutePath().normalize(), config.bool(RESET, false));
        } catch (InvalidPathException e) {
            throw SettingsReader.invalid(DATA, data, "a directory path (" + e.getReason() + ")");
        }
    }
}
