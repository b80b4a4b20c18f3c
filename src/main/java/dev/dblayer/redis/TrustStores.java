package dev.dblayer.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** Builds the TLS socket factory for {@code redis.ssl.trust-store}: trust exactly that store's CAs. */
final class TrustStores {

    private TrustStores() {
    }

    /**
     * An SSLSocketFactory trusting the certificates in the configured store.
     *
     * @throws IllegalArgumentException if the store is missing, unreadable, of another type or its
     *                                  password is wrong; the message names the setting, never the password
     */
    static SSLSocketFactory socketFactory(RedisSettings.TlsSettings tls) {
        String file = tls.trustStore().orElseThrow(() -> new IllegalStateException("no trust store configured"));
        Path path = Path.of(file);
        KeyStore store;
        try (InputStream in = Files.newInputStream(path)) {
            store = KeyStore.getInstance(tls.trustStoreType());
            char[] password = tls.trustStorePassword().isEmpty() ? null : tls.trustStorePassword().toCharArray();
            store.load(in, password);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(RedisSettings.TRUST_STORE + " is \"" + file
                    + "\" but there is no such file", e);
        } catch (IOException e) {
            // KeyStore.load reports a wrong password as an IOException caused by UnrecoverableKeyException.
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException(RedisSettings.TRUST_STORE_PASSWORD + " is wrong for "
                        + RedisSettings.TRUST_STORE + " \"" + file + "\"", e);
            }
            throw new IllegalArgumentException(RedisSettings.TRUST_STORE + " \"" + file + "\" cannot be read as a "
                    + tls.trustStoreType() + " trust store (" + RedisSettings.TRUST_STORE_TYPE + "): "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(RedisSettings.TRUST_STORE + " \"" + file + "\" cannot be loaded as "
                    + RedisSettings.TRUST_STORE_TYPE + "=" + tls.trustStoreType() + ": " + e.getMessage(), e);
        }
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JVM cannot set up TLS with " + RedisSettings.TRUST_STORE + " \""
                    + file + "\": " + e.getMessage(), e);
        }
    }
}
