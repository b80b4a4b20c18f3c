package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dblayer.internal.SettingsReader;
import dev.dblayer.db.PersistenceUnits.DeclaredUnit;

/** What dblayer reads from persistence.xml, and what it says about the settings it replaces. */
class PersistenceUnitsTest {

    private static final String CANARY = "canary-pw-4410";

    private static final DatabaseSettings DEFAULTS = DatabaseSettings.read(SettingsReader.of(Map.of()));

    @TempDir
    Path dir;

    private static String persistenceXml(String unitAttributes, String body) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <persistence xmlns="https://jakarta.ee/xml/ns/persistence" version="3.0">
                    <persistence-unit %s>
                        <class>app.Event</class>
                        %s
                    </persistence-unit>
                </persistence>
                """.formatted(unitAttributes, body);
    }

    private static DeclaredUnit parseOne(String xml) throws IOException {
        List<DeclaredUnit> units = PersistenceUnits.parse(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "test persistence.xml");
        assertEquals(1, units.size(), "one unit in " + xml);
        return units.get(0);
    }

    private static Optional<String> warning(DeclaredUnit unit) {
        return PersistenceUnits.overrideWarning(unit,
                PersistenceUnits.overridden(unit, PersistenceUnits.properties(null, DEFAULTS, PersistenceUnits.NO_GENERATOR).keySet()));
    }

    private DeclaredUnit choose(String xml) throws IOException {
        Path file = dir.resolve("META-INF/persistence.xml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, xml);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            return PersistenceUnits.choose(DEFAULTS, loader);
        }
    }

    /** The Open Liberty guide's unit, moved to RESOURCE_LOCAL with everything else left as it was. */
    private static final String GUIDE_LEFTOVERS = persistenceXml("name=\"jpa-unit\" transaction-type=\"JTA\"", """
            <jta-data-source>jdbc/eventjpadatasource</jta-data-source>
            <non-jta-data-source>jdbc/eventnonjta</non-jta-data-source>
            <properties>
                <property name="jakarta.persistence.schema-generation.database.action" value="create"/>
                <property name="jakarta.persistence.schema-generation.scripts.action" value="create"/>
                <property name="jakarta.persistence.schema-generation.scripts.create-target" value="createDDL.ddl"/>
                <property name="jakarta.persistence.jdbc.password" value="%s"/>
                <property name="eclipselink.cache.shared.default" value="false"/>
            </properties>
            """.formatted(CANARY));

    @Test
    void readsTheUnitsNameTransactionTypeDataSourcesAndPropertyNames() throws IOException {
        DeclaredUnit unit = parseOne(GUIDE_LEFTOVERS);
        assertEquals("jpa-unit", unit.name(), "the unit's name");
        assertTrue(unit.jta(), "transaction-type=JTA is read");
        assertTrue(unit.jtaDataSource() && unit.nonJtaDataSource(), "both data source elements are seen");
        assertTrue(unit.properties().contains("eclipselink.cache.shared.default"), "property names are read: "
                + unit.properties());
        assertFalse(unit.toString().contains(CANARY), "no property value is kept: " + unit);
    }

    @Test
    void aUnitWrittenForDblayerGetsNoWarning() throws IOException {
        DeclaredUnit unit = parseOne(persistenceXml("name=\"app\" transaction-type=\"RESOURCE_LOCAL\"", """
                <properties><property name="eclipselink.cache.shared.default" value="false"/></properties>
                """));
        assertEquals(Optional.empty(), warning(unit), "nothing dblayer replaces, nothing to warn about");
    }

    @Test
    void theWarningNamesEverySettingDblayerReplaces() throws IOException {
        String warning = warning(parseOne(GUIDE_LEFTOVERS)).orElseThrow();
        for (String named : List.of("jpa-unit", "transaction-type=\"JTA\"", "<jta-data-source>", "<non-jta-data-source>",
                "jakarta.persistence.schema-generation.database.action",
                "jakarta.persistence.schema-generation.scripts.action", "jakarta.persistence.jdbc.password",
                "docs/adopting.md", "CWWJP0015E")) {
            assertTrue(warning.contains(named), "the warning names " + named + ": " + warning);
        }
        assertFalse(warning.contains("eclipselink.cache.shared.default"),
                "a property dblayer leaves alone is not named: " + warning);
        assertFalse(warning.contains("create-target"), "a property dblayer does not set is not named: " + warning);
    }

    @Test
    void theWarningNeverCarriesAPropertyValue() throws IOException {
        String warning = warning(parseOne(GUIDE_LEFTOVERS)).orElseThrow();
        assertFalse(warning.contains(CANARY), "the password's value stays out of the warning: " + warning);
        assertFalse(warning.contains("jdbc/eventjpadatasource"), "element contents stay out too: " + warning);
    }

    @Test
    void theLibertyNoteAppearsOnlyWithPropertiesItsContainerActsOn() throws IOException {
        String warning = warning(parseOne(persistenceXml("name=\"app\"", """
                <properties><property name="eclipselink.target-database" value="PostgreSQL"/></properties>
                """))).orElseThrow();
        assertTrue(warning.contains("eclipselink.target-database"), "an overridden property is named: " + warning);
        assertFalse(warning.contains("CWWJP0015E"), "no Liberty note without schema generation: " + warning);
    }

    @Test
    void chooseFindsTheOnlyUnitAndWhatItDeclares() throws IOException {
        DeclaredUnit unit = choose(GUIDE_LEFTOVERS);
        assertEquals("jpa-unit", unit.name(), "the only unit is chosen");
        assertTrue(unit.jta(), "with what it declares");
    }

    @Test
    void refusesAJdbcUserThePoolCannotHonour() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> choose(persistenceXml(
                "name=\"app\"", """
                <properties>
                    <property name="jakarta.persistence.jdbc.user" value="app"/>
                    <property name="jakarta.persistence.jdbc.password" value="%s"/>
                </properties>
                """.formatted(CANARY))));
        assertTrue(refused.getMessage().contains("jakarta.persistence.jdbc.user")
                && refused.getMessage().contains("database.user"), "names the property and the setting to use: "
                + refused.getMessage());
        assertFalse(refused.getMessage().contains(CANARY), "and no value: " + refused.getMessage());
    }

    @Test
    void refusesEclipseLinkDdlGenerationThatWouldReplaceDblayersSchemaGeneration() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> choose(persistenceXml(
                "name=\"app\"", """
                <properties><property name="eclipselink.ddl-generation" value="drop-and-create-tables"/></properties>
                """)));
        assertTrue(refused.getMessage().contains("eclipselink.ddl-generation")
                && refused.getMessage().contains(DatabaseSettings.SCHEMA_GENERATION),
                "names the property and the setting it would bypass: " + refused.getMessage());
    }

    @Test
    void refusesADoctype() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE persistence [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<persistence><persistence-unit name=\"&x;\"/></persistence>";
        assertThrows(IllegalStateException.class, () -> PersistenceUnits.parse(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "hostile"),
                "a DOCTYPE (external entities) is refused");
    }
}
