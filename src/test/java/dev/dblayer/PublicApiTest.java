package dev.dblayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The public types of the jar are exactly those {@code docs/architecture.md} lists. */
class PublicApiTest {

    private static final Path CLASSES = Path.of("target/classes");
    private static final Path ARCHITECTURE = Path.of("docs/architecture.md");

    @Test
    void theArchitecturePageListsEveryPublicTypeAndNothingElse() throws Exception {
        Set<String> listed = listed();
        assertFalse(listed.isEmpty(), "docs/architecture.md lists the public API between its markers");
        assertEquals(listed, publicTypes(), "the public top-level types of target/classes, against the list in "
                + ARCHITECTURE);
    }

    private static Set<String> listed() throws IOException {
        String page = Files.readString(ARCHITECTURE);
        int start = page.indexOf("<!-- public-api:start -->");
        int end = page.indexOf("<!-- public-api:end -->");
        Set<String> names = new TreeSet<>();
        if (start < 0 || end < start) {
            return names;
        }
        Matcher row = Pattern.compile("(?m)^\\| `(dev\\.dblayer\\.[\\w.]+)` \\|").matcher(page.substring(start, end));
        while (row.find()) {
            names.add(row.group(1));
        }
        return names;
    }

    private static Set<String> publicTypes() throws IOException, ClassNotFoundException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(CLASSES.resolve("dev/dblayer"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String relative = CLASSES.relativize(file).toString();
                String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                if (name.contains("$") || name.endsWith("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, PublicApiTest.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers())) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
