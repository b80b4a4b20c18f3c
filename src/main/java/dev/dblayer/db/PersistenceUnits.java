package dev.dblayer.db;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

/**
 * Finds the application's persistence unit and deploys it with the module's connection, platform,
 * schema generation and logging. Everything else (entities, mapping files, caching) stays as the
 * application's own {@code META-INF/persistence.xml} says.
 */
final class PersistenceUnits {

    private static final String PERSISTENCE_XML = "META-INF/persistence.xml";

    private PersistenceUnits() {
    }

    /** The unit named by {@code database.persistence-unit}, or the only unit the application has. */
    static String choose(DatabaseSettings settings, ClassLoader loader) {
        Set<String> names = declaredUnits(loader);
        if (settings.persistenceUnit().isPresent()) {
            String wanted = settings.persistenceUnit().get();
            if (!names.contains(wanted)) {
                throw new IllegalStateException(DatabaseSettings.PERSISTENCE_UNIT + " is \"" + wanted
                        + "\" but the application's " + PERSISTENCE_XML + " declares " + names);
            }
            return wanted;
        }
        if (names.size() != 1) {
            throw new IllegalStateException(names.isEmpty()
                    ? "No persistence unit found: add a " + PERSISTENCE_XML + " with one RESOURCE_LOCAL unit"
                            + " listing your entities to the application"
                    : "The application declares several persistence units " + names + "; set "
                            + DatabaseSettings.PERSISTENCE_UNIT + " to the one dblayer should deploy");
        }
        return names.iterator().next();
    }

    /** Deploys {@code unit} on {@code dataSource}: connects and runs schema generation now. */
    static EntityManagerFactory deploy(String unit, DataSource dataSource, DatabaseSettings settings) {
        EntityManagerFactory factory = Persistence.createEntityManagerFactory(unit, properties(dataSource, settings));
        try {
            // EclipseLink deploys lazily; this connects, and generates the schema, at startup.
            factory.createEntityManager().close();
            return factory;
        } catch (RuntimeException e) {
            factory.close();
            throw e;
        }
    }

    static Map<String, Object> properties(DataSource dataSource, DatabaseSettings settings) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
        properties.put("jakarta.persistence.nonJtaDataSource", dataSource);
        properties.put("eclipselink.target-database", settings.type().platformClassName());
        properties.put("jakarta.persistence.schema-generation.database.action", switch (settings.schemaGeneration()) {
            case CREATE -> "create";
            case NONE -> "none";
            case DROP_AND_CREATE -> "drop-and-create";
        });
        properties.put("eclipselink.deploy-on-startup", "true");
        properties.put("eclipselink.session.customizer", QueryRetry.class.getName());
        // The original's sessions do not flush before queries; flushes happen at commit.
        properties.put("eclipselink.persistence-context.flush-mode", "commit");
        if (settings.echo() == DatabaseSettings.Echo.FALSE) {
            // java.util.logging, so that the server's log configuration applies.
            properties.put("eclipselink.logging.logger", "JavaLogger");
            properties.put("eclipselink.logging.parameters", "false");
        } else {
            // Echo must show without touching the server's log levels (SQL is logged at FINE): EclipseLink's
            // own logger writes to standard output, which both servers copy into their console log.
            properties.put("eclipselink.logging.logger", "DefaultLogger");
            properties.put("eclipselink.logging.level", "WARNING");
            properties.put("eclipselink.logging.level.sql", "FINE");
            properties.put("eclipselink.logging.parameters",
                    Boolean.toString(settings.echo() == DatabaseSettings.Echo.DEBUG));
        }
        return properties;
    }

    private static Set<String> declaredUnits(ClassLoader loader) {
        Set<String> names = new LinkedHashSet<>();
        try {
            Enumeration<URL> files = loader.getResources(PERSISTENCE_XML);
            for (URL file : List.copyOf(java.util.Collections.list(files))) {
                names.addAll(unitNames(file));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the application's " + PERSISTENCE_XML, e);
        }
        return names;
    }

    private static Set<String> unitNames(URL file) throws IOException {
        try (InputStream in = file.openStream()) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList units = factory.newDocumentBuilder().parse(in).getElementsByTagNameNS("*", "persistence-unit");
            Set<String> names = new LinkedHashSet<>();
            for (int i = 0; i < units.getLength(); i++) {
                names.add(((Element) units.item(i)).getAttribute("name"));
            }
            return names;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("Cannot parse " + file, e);
        }
    }
}
