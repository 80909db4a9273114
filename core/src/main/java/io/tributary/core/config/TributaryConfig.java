package io.tributary.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.Missing;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The validated configuration of one run: the embedded schema ({@code tributary-reference.conf}, which
 * also holds every default), overlaid with a profile file and command-line overrides. Validation
 * happens once, here: an unknown key or a value of the wrong type is an error naming the key.
 */
public final class TributaryConfig {
    static final String SCHEMA_RESOURCE = "tributary-reference.conf";
    public static final String HOME_ENVIRONMENT_VARIABLE = "TRIBUTARY_HOME";

    private final Config config;
    private final String origin;
    private final String lakeRoot;

    private TributaryConfig(Config config, String origin, String lakeRoot) {
        this.config = config;
        this.origin = origin;
        this.lakeRoot = lakeRoot;
    }

    /**
     * Loads {@code confFile} (or, when null, {@code conf/local.conf} under {@code TRIBUTARY_HOME} if it exists,
     * else the embedded defaults) and applies {@code lakeOverride} (a path or URI; a relative path is
     * taken from the working directory).
     */
    public static TributaryConfig load(Path confFile, String lakeOverride) {
        Path file = confFile;
        if (file == null) {
            Path profile = home().resolve("conf").resolve("local.conf");
            file = Files.isRegularFile(profile) ? profile : null;
        }
        Config user;
        String origin;
        if (file == null) {
            user = ConfigFactory.empty();
            origin = "embedded defaults";
        } else {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("--conf", "no such file: " + file);
            }
            try {
                user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()
                        .setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
            } catch (com.typesafe.config.ConfigException e) {
                throw new ConfigException("--conf", "cannot parse " + file + ": " + e.getMessage());
            }
            origin = file.toString();
        }
        TributaryConfig loaded = fromConfig(user, origin, home());
        return lakeOverride == null ? loaded : loaded.withLake(lakeOverride, Path.of("").toAbsolutePath());
    }

    /** Parses HOCON text, validates it and resolves relative paths against {@code baseDirectory}. */
    public static TributaryConfig parse(String hocon, Path baseDirectory) {
        return fromConfig(ConfigFactory.parseString(hocon), "text", baseDirectory);
    }

    public static TributaryConfig defaults() {
        return fromConfig(ConfigFactory.empty(), "embedded defaults", home());
    }

    private static TributaryConfig fromConfig(Config user, String origin, Path baseDirectory) {
        Config schema = schema();
        Config resolvedUser;
        try {
            resolvedUser = user.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("--conf", "cannot resolve " + origin + ": " + e.getMessage());
        }
        validate(resolvedUser.root(), schema.root(), "");
        Config merged = resolvedUser.withFallback(schema).resolve();
        String lake = normalizeLake(merged.getString("tributary.lake.root"), baseDirectory);
        return new TributaryConfig(merged, origin, lake);
    }

    public TributaryConfig withLake(String lake, Path baseDirectory) {
        return new TributaryConfig(config, origin, normalizeLake(lake, baseDirectory));
    }

    /** The lake root as a Hadoop URI: {@code file:/abs/path} for local paths, else unchanged. */
    public String lakeRoot() {
        return lakeRoot;
    }

    public String origin() {
        return origin;
    }

    public String string(String key) {
        return read(key, () -> config.getString(key));
    }

    public int integer(String key) {
        return read(key, () -> config.getInt(key));
    }

    public long longValue(String key) {
        return read(key, () -> config.getLong(key));
    }

    public double decimal(String key) {
        return read(key, () -> config.getDouble(key));
    }

    public boolean flag(String key) {
        return read(key, () -> config.getBoolean(key));
    }

    public List<String> strings(String key) {
        return read(key, () -> config.getStringList(key));
    }

    public Optional<String> optionalString(String key) {
        String value = string(key);
        return value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** A free-form section (such as extra Spark settings) as flat dotted keys to string values, sorted. */
    public Map<String, String> map(String key) {
        return read(key, () -> {
            Map<String, String> out = new TreeMap<>();
            flatten(config.getObject(key), "", out);
            return out;
        });
    }

    private static void flatten(ConfigObject section, String prefix, Map<String, String> out) {
        for (Map.Entry<String, ConfigValue> entry : section.entrySet()) {
            String name = prefix + entry.getKey();
            if (entry.getValue() instanceof ConfigObject nested) {
                flatten(nested, name + ".", out);
            } else {
                out.put(name, String.valueOf(entry.getValue().unwrapped()));
            }
        }
    }

    /** Every effective key and value, for {@code --help}-style listings and logs (no secrets live here). */
    public Map<String, String> effective() {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> entry : config.withOnlyPath("tributary").entrySet()) {
            out.put(entry.getKey(), entry.getValue().render());
        }
        out.put("tributary.lake.root", lakeRoot);
        return out;
    }

    private <T> T read(String key, java.util.function.Supplier<T> reader) {
        try {
            return reader.get();
        } catch (Missing e) {
            throw new IllegalArgumentException("configuration key '" + key + "' is not in the schema; add it to "
                    + SCHEMA_RESOURCE, e);
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(key, "has the wrong type (" + origin + "): " + e.getMessage());
        }
    }

    static Config schema() {
        return ConfigFactory.parseResources(TributaryConfig.class.getClassLoader(), SCHEMA_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
    }

    private static void validate(ConfigObject user, ConfigObject schema, String prefix) {
        for (Map.Entry<String, ConfigValue> entry : new TreeMap<>(user).entrySet()) {
            String key = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            ConfigValue expected = schema.get(entry.getKey());
            ConfigValue actual = entry.getValue();
            if (expected == null) {
                throw new ConfigException(key, "unknown key (" + where(actual) + ")");
            }
            if (expected.valueType() == ConfigValueType.OBJECT) {
                if (actual.valueType() != ConfigValueType.OBJECT) {
                    throw new ConfigException(key, "must be an object, not " + describe(actual) + " (" + where(actual) + ")");
                }
                ConfigObject expectedObject = (ConfigObject) expected;
                if (expectedObject.isEmpty()) {
                    requireScalars((ConfigObject) actual, key);
                } else {
                    validate((ConfigObject) actual, expectedObject, key);
                }
            } else if (!compatible(expected, actual)) {
                throw new ConfigException(key, "must be " + describe(expected) + ", not " + describe(actual)
                        + " (" + where(actual) + ")");
            }
        }
    }

    private static void requireScalars(ConfigObject section, String prefix) {
        for (Map.Entry<String, ConfigValue> entry : section.entrySet()) {
            String key = prefix + "." + entry.getKey();
            switch (entry.getValue().valueType()) {
                case STRING, NUMBER, BOOLEAN -> { }
                case OBJECT -> requireScalars((ConfigObject) entry.getValue(), key);
                default -> throw new ConfigException(key, "must be a string, number or boolean ("
                        + where(entry.getValue()) + ")");
            }
        }
    }

    private static boolean compatible(ConfigValue expected, ConfigValue actual) {
        ConfigValueType type = expected.valueType();
        if (type != actual.valueType()) {
            return false;
        }
        if (type == ConfigValueType.NUMBER) {
            Number expectedNumber = (Number) expected.unwrapped();
            Number actualNumber = (Number) actual.unwrapped();
            boolean wantsInteger = expectedNumber instanceof Integer || expectedNumber instanceof Long;
            return !wantsInteger || actualNumber instanceof Integer || actualNumber instanceof Long;
        }
        return true;
    }

    private static String describe(ConfigValue value) {
        return switch (value.valueType()) {
            case NUMBER -> value.unwrapped() instanceof Integer || value.unwrapped() instanceof Long
                    ? "an integer" : "a number";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case LIST -> "a list";
            case OBJECT -> "an object";
            case NULL -> "null";
        };
    }

    private static String where(ConfigValue value) {
        var origin = value.origin();
        return origin == null ? "unknown origin" : origin.description();
    }

    static String normalizeLake(String lake, Path baseDirectory) {
        if (lake == null || lake.isBlank()) {
            throw new ConfigException("tributary.lake.root", "must not be empty");
        }
        if (lake.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*") || lake.startsWith("file:/")) {
            URI uri = URI.create(lake);
            if ("file".equals(uri.getScheme())) {
                return fileUri(Path.of(uri));
            }
            return lake.replaceAll("/$", "");
        }
        return fileUri(baseDirectory.resolve(lake));
    }

    /** Hadoop's spelling of a local path, {@code file:/abs/path}: Delta compares table locations as strings. */
    private static String fileUri(Path path) {
        String absolute = path.toAbsolutePath().normalize().toString();
        return "file:" + (absolute.length() > 1 ? absolute.replaceAll("/$", "") : absolute);
    }

    /** TRIBUTARY_HOME, or the working directory: where relative paths of the configuration resolve. */
    public static Path home() {
        String home = System.getenv(HOME_ENVIRONMENT_VARIABLE);
        return home == null || home.isBlank() ? Path.of("").toAbsolutePath() : Path.of(home).toAbsolutePath();
    }

    /** Keys and values of a section in declaration order, for building typed settings records. */
    public Map<String, Object> section(String key) {
        return read(key, () -> new LinkedHashMap<>(config.getConfig(key).root().unwrapped()));
    }
}
