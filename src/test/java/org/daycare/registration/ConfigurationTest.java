package org.daycare.registration;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Configuration in one place: every key has its default once, in config/application.properties; the README's table
 * lists exactly those keys with those defaults; and the code has no default of its own.
 *
 * <p>How a README row is read: its first cell names one key or several ({@code `a` / `b`}); its second cell is the
 * default, either backticked values, one for every key or one per key in the same order ({@code `x` / `y`}), or a
 * parenthesis starting with "empty", "unset" or "none" ({@code (empty: H2 in ...)}, {@code (unset)}, {@code (none)}),
 * which all mean the empty value. Anything else in that cell fails the test.
 */
class ConfigurationTest {

    private static final Path PROPERTIES = Path.of("config/application.properties");
    private static final Path README = Path.of("README.md");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]*)`");
    private static final Pattern EMPTY = Pattern.compile("\\((empty|unset|none)\\b[^)]*\\)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.*?)}}");
    private static final Pattern PROPERTY_INJECT = Pattern.compile("@PropertyInject\\s*\\(([^)]*)\\)");
    private static final Pattern KEY_READ = Pattern.compile("(?:\\{\\{|@PropertyInject\\s*\\(\\s*(?:value\\s*=\\s*)?\")"
            + "(daycare\\.[a-z0-9.\\-]+)");

    @Test
    void theReadmeTableAndThePropertiesFileListTheSameKeysWithTheSameDefaults() throws IOException {
        Map<String, String> file = daycareKeysOfThePropertiesFile();
        Map<String, String> readme = readmeTable();

        assertThat(readme).as("README table (left) against config/application.properties")
                .containsExactlyInAnyOrderEntriesOf(file);
    }

    @Test
    void everyKeyIsInThePropertiesFileOnce() throws IOException {
        List<String> keys = new ArrayList<>();
        for (String line : Files.readAllLines(PROPERTIES)) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#") && !trimmed.startsWith("!")) {
                keys.add(trimmed.split("\\s*[=:]", 2)[0].strip());
            }
        }
        assertThat(keys).doesNotHaveDuplicates();
    }

    @Test
    void theCodeHasNoDefaultOfItsOwnAndReadsOnlyKeysOfThePropertiesFile() throws IOException {
        List<Path> sources;
        try (Stream<Path> main = Files.walk(Path.of("src/main")); Stream<Path> routes = Files.walk(Path.of("routes"))) {
            sources = Stream.concat(main, routes).filter(Files::isRegularFile).toList();
        }
        List<Path> all = new ArrayList<>(sources);
        all.add(PROPERTIES);
        Map<String, String> file = daycareKeysOfThePropertiesFile();
        List<String> defaults = new ArrayList<>();
        TreeSet<String> keysRead = new TreeSet<>();
        for (Path source : all) {
            String text = Files.readString(source);
            Matcher placeholder = PLACEHOLDER.matcher(text);
            while (placeholder.find()) {
                if (placeholder.group(1).contains(":")) {
                    defaults.add(source + ": " + placeholder.group());
                }
            }
            Matcher inject = PROPERTY_INJECT.matcher(text);
            while (inject.find()) {
                if (inject.group(1).contains("defaultValue")) {
                    defaults.add(source + ": " + inject.group());
                }
            }
            Matcher read = KEY_READ.matcher(text);
            while (read.find()) {
                keysRead.add(read.group(1));
            }
        }

        assertThat(defaults).as("defaults outside config/application.properties").isEmpty();
        assertThat(keysRead).as("keys the code and routes read").isNotEmpty();
        assertThat(file.keySet()).as("config/application.properties").containsAll(keysRead);
    }

    private static Map<String, String> daycareKeysOfThePropertiesFile() throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(PROPERTIES)));
        Map<String, String> keys = new TreeMap<>();
        // the daycare keys, and Camel's server keys that the README documents as the service's own
        properties.stringPropertyNames().stream()
                .filter(key -> key.startsWith("daycare.") || key.equals("camel.server.host") || key.equals("camel.server.port"))
                .forEach(key -> keys.put(key, properties.getProperty(key)));
        return keys;
    }

    /** Key to default, from the rows of the table under "## Configuration". */
    private static Map<String, String> readmeTable() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n## Configuration\n");
        assertThat(start).as("README has a Configuration section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).lines().toList()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            List<String> keys = backticked(cells[1], line);
            String defaultCell = cells[2].strip();
            List<String> values;
            if (EMPTY.matcher(defaultCell).matches()) {
                values = keys.stream().map(key -> "").toList();
            } else {
                values = backticked(defaultCell, line);
                if (values.size() == 1 && keys.size() > 1) {
                    String shared = values.get(0);
                    values = keys.stream().map(key -> shared).toList();
                }
                if (values.size() != keys.size()) {
                    fail("README row has %d keys and %d defaults: %s", keys.size(), values.size(), line);
                }
            }
            for (int i = 0; i < keys.size(); i++) {
                if (defaults.put(keys.get(i), values.get(i)) != null) {
                    fail("README lists %s twice", keys.get(i));
                }
            }
        }
        return defaults;
    }

    /** The cell must be backticked values separated by " / ", and nothing else. */
    private static List<String> backticked(String cell, String row) {
        String trimmed = cell.strip();
        if (!trimmed.matches("`[^`]*`( / `[^`]*`)*")) {
            fail("README cell is neither backticked values (`a` / `b`) nor (empty ...), (unset) or (none): '%s' in %s",
                    trimmed, row);
        }
        List<String> values = new ArrayList<>();
        Matcher value = BACKTICKED.matcher(trimmed);
        while (value.find()) {
            values.add(value.group(1));
        }
        return values;
    }
}
