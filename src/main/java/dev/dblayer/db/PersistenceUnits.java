package dev.dblayer.db;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Superseded by the DataSource dblayer passes (EclipseLink ignores them when given one). */
    private static final Set<String> CONNECTION_PROPERTIES = Set.of(
            "jakarta.persistence.jdbc.url", "jakarta.persistence.jdbc.driver", "jakarta.persistence.jdbc.password");

    /** With any of these, EclipseLink connects when a server's JPA container creates the unit's factory at deploy. */
    private static final Set<String> CONTAINER_DEPLOYS = Set.of(
            "jakarta.persistence.schema-generation.database.action",
            "jakarta.persistence.schema-generation.scripts.action",
            "eclipselink.deploy-on-startup");

    private PersistenceUnits() {
    }

    /**
     * A unit as {@code META-INF/persistence.xml} declares it: what dblayer may replace, and the names of
     * its properties. Never a property's value, which may be a password.
     */
    record DeclaredUnit(String name, boolean jta, boolean jtaDataSource, boolean nonJtaDataSource,
            Set<String> properties) {
    }

    /** The unit named by {@code database.persistence-unit}, or the only unit the application has. */
    static DeclaredUnit choose(DatabaseSettings settings, ClassLoader loader) {
        return choose(settings.persistenceUnit(), DatabaseSettings.PERSISTENCE_UNIT, loader);
    }

    /** Whether the application declares a unit named {@code name}. */
    static boolean declares(String name, ClassLoader loader) {
        return declaredUnits(loader).containsKey(name);
    }

    /** The unit {@code wanted} (the value of {@code key}), or the only unit the application has. */
    static DeclaredUnit choose(Optional<String> wantedUnit, String key, ClassLoader loader) {
        Map<String, DeclaredUnit> units = declaredUnits(loader);
        DeclaredUnit chosen;
        if (wantedUnit.isPresent()) {
            String wanted = wantedUnit.get();
            chosen = units.get(wanted);
            if (chosen == null) {
                throw new IllegalStateException(key + " is \"" + wanted
                        + "\" but the application's " + PERSISTENCE_XML + " declares " + units.keySet());
            }
        } else if (units.size() != 1) {
            throw new IllegalStateException(units.isEmpty()
                    ? "No persistence unit found: add a " + PERSISTENCE_XML + " with one RESOURCE_LOCAL unit"
                            + " listing your entities to the application"
                    : "The application declares several persistence units " + units.keySet() + "; set "
                            + DatabaseSettings.PERSISTENCE_UNIT + " to the one dblayer should deploy");
        } else {
            chosen = units.values().iterator().next();
        }
        refuseWhatCannotWork(chosen);
        return chosen;
    }

    /**
     * The unit's settings that dblayer replaces with its own when it deploys the unit with
     * {@code dblayerProperties}: elements as written in the XML, properties by name. Empty when none.
     */
    static List<String> overridden(DeclaredUnit unit, Set<String> dblayerProperties) {
        List<String> found = new ArrayList<>();
        if (unit.jta()) {
            found.add("transaction-type=\"JTA\"");
        }
        if (unit.jtaDataSource()) {
            found.add("<jta-data-source>");
        }
        if (unit.nonJtaDataSource()) {
            found.add("<non-jta-data-source>");
        }
        for (String property : unit.properties()) {
            if (dblayerProperties.contains(property) || CONNECTION_PROPERTIES.contains(property)) {
                found.add(property);
            }
        }
        return found;
    }

    /** The one warning about {@code overridden} settings of {@code unit}, naming them; empty when there are none. */
    static Optional<String> overrideWarning(DeclaredUnit unit, List<String> overridden) {
        if (overridden.isEmpty()) {
            return Optional.empty();
        }
        String warning = "dblayer: persistence unit " + unit.name() + " in " + PERSISTENCE_XML + " sets "
                + String.join(", ", overridden) + ", which dblayer replaces (the connection comes from database.*,"
                + " the tables from database.schema-generation); remove them, see docs/adopting.md";
        if (unit.properties().stream().anyMatch(CONTAINER_DEPLOYS::contains)) {
            // Seen on Open Liberty: its JPA container creates an EntityManagerFactory for every unit at
            // deploy, and EclipseLink connects at once when these are set, without a connection to use.
            warning += ". Open Liberty's JPA container also acts on " + CONTAINER_DEPLOYS.stream()
                    .filter(unit.properties()::contains).sorted().toList()
                    + " when the application starts (unless set to none or false) and, having no connection,"
                    + " logs CWWJP0015E";
        }
        return Optional.of(warning);
    }

    /**
     * Deploys {@code unit} on {@code dataSource}: connects and runs schema generation now. Ids of
     * {@link PrimaryKeys#GENERATOR} come from {@code generator} in snowflake mode.
     */
    static EntityManagerFactory deploy(String unit, DataSource dataSource, DatabaseSettings settings,
            PrimaryKeyGenerator generator) {
        return deploy(unit, dataSource, settings, generator, Map.of());
    }

    /** As {@link #deploy(String, DataSource, DatabaseSettings, PrimaryKeyGenerator)}, with {@code extra} properties too. */
    static EntityManagerFactory deploy(String unit, DataSource dataSource, DatabaseSettings settings,
            PrimaryKeyGenerator generator, Map<String, Object> extra) {
        Map<String, Object> properties = properties(dataSource, settings, generator);
        properties.putAll(extra);
        EntityManagerFactory factory = Persistence.createEntityManagerFactory(unit, properties);
        try {
            // EclipseLink deploys lazily; this connects, and generates the schema, at startup.
            factory.createEntityManager().close();
            return factory;
        } catch (RuntimeException e) {
            factory.close();
            throw e;
        }
    }

    /** As {@link #deploy(String, DataSource, DatabaseSettings, PrimaryKeyGenerator)}, for autoincrement ids. */
    static EntityManagerFactory deploy(String unit, DataSource dataSource, DatabaseSettings settings) {
        return deploy(unit, dataSource, settings, NO_GENERATOR);
    }

    /** Stands in for the generator where the settings need none (autoincrement mode). */
    static final PrimaryKeyGenerator NO_GENERATOR = () -> {
        throw new IllegalStateException("No snowflake generator: " + DatabaseSettings.PK_MODE + " is autoincrement");
    };

    static Map<String, Object> properties(DataSource dataSource, DatabaseSettings settings,
            PrimaryKeyGenerator generator) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
        properties.put("jakarta.persistence.nonJtaDataSource", dataSource);
        properties.put("eclipselink.target-database", settings.type().platformClassName());
        properties.put("jakarta.persistence.schema-generation.database.action", switch (settings.schemaGeneration()) {
            case CREATE -> "create";
            // with migrations the scripts own the schema; EclipseLink touches no table
            case NONE, MIGRATE, VALIDATE -> "none";
            case DROP_AND_CREATE -> "drop-and-create";
        });
        // dblayer owns schema generation: no DDL scripts written into the server's working directory.
        properties.put("jakarta.persistence.schema-generation.scripts.action", "none");
        properties.put("eclipselink.deploy-on-startup", "true");
        properties.put("eclipselink.session.customizer", SessionSetup.of(settings.pkMode(), generator));
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

    /**
     * Refuses the unit settings under which dblayer's own cannot take effect, naming them (never a value).
     */
    private static void refuseWhatCannotWork(DeclaredUnit unit) {
        if (unit.properties().contains("jakarta.persistence.jdbc.user")) {
            // EclipseLink would ask the pool for getConnection(user, password), which HikariCP does not support.
            throw new IllegalStateException("Persistence unit " + unit.name() + " in " + PERSISTENCE_XML
                    + " sets jakarta.persistence.jdbc.user: remove the jakarta.persistence.jdbc.* properties;"
                    + " dblayer connects with database.user and database.password");
        }
        if (unit.properties().contains("eclipselink.ddl-generation")) {
            // EclipseLink applies it instead of jakarta.persistence.schema-generation.database.action.
            throw new IllegalStateException("Persistence unit " + unit.name() + " in " + PERSISTENCE_XML
                    + " sets eclipselink.ddl-generation, which EclipseLink would apply instead of "
                    + DatabaseSettings.SCHEMA_GENERATION + ": remove it (and eclipselink.ddl-generation.*)");
        }
    }

    private static Map<String, DeclaredUnit> declaredUnits(ClassLoader loader) {
        Map<String, DeclaredUnit> units = new LinkedHashMap<>();
        try {
            for (URL file : Collections.list(loader.getResources(PERSISTENCE_XML))) {
                try (InputStream in = file.openStream()) {
                    for (DeclaredUnit unit : parse(in, file.toString())) {
                        units.putIfAbsent(unit.name(), unit);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the application's " + PERSISTENCE_XML, e);
        }
        return units;
    }

    /** The units of one {@code persistence.xml}, in document order; {@code source} names it in errors. */
    static List<DeclaredUnit> parse(InputStream in, String source) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList units = factory.newDocumentBuilder().parse(in).getElementsByTagNameNS("*", "persistence-unit");
            List<DeclaredUnit> declared = new ArrayList<>();
            for (int i = 0; i < units.getLength(); i++) {
                Element unit = (Element) units.item(i);
                Set<String> properties = new LinkedHashSet<>();
                NodeList property = unit.getElementsByTagNameNS("*", "property");
                for (int j = 0; j < property.getLength(); j++) {
                    properties.add(((Element) property.item(j)).getAttribute("name"));
                }
                declared.add(new DeclaredUnit(unit.getAttribute("name"),
                        "JTA".equals(unit.getAttribute("transaction-type").trim()),
                        unit.getElementsByTagNameNS("*", "jta-data-source").getLength() > 0,
                        unit.getElementsByTagNameNS("*", "non-jta-data-source").getLength() > 0,
                        Collections.unmodifiableSet(properties)));
            }
            return declared;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("Cannot parse " + source, e);
        }
    }
}
