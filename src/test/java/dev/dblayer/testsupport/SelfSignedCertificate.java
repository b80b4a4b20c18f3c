package dev.dblayer.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made with {@code openssl}
 * at test time, and a trust store holding it made with {@code keytool}.
 *
 * @param certificate        the certificate, PEM
 * @param key                its private key, PEM, unencrypted
 * @param trustStore         a PKCS12 trust store with the certificate
 * @param trustStorePassword the trust store's password
 */
public record SelfSignedCertificate(Path certificate, Path key, Path trustStore, String trustStorePassword) {

    /** Makes a new certificate, key and trust store in {@code dir}. */
    public static SelfSignedCertificate create(Path dir) {
        Path cert = dir.resolve("redis.crt");
        Path key = dir.resolve("redis.key");
        Path store = dir.resolve("truststore.p12");
        String password = "trust-" + Long.toHexString(System.nanoTime());
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-keyout", key.toString(), "-out", cert.toString(), "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"));
        run(List.of("keytool", "-importcert", "-noprompt", "-alias", "redis", "-file", cert.toString(),
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password));
        return new SelfSignedCertificate(cert, key, store, password);
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }
}
