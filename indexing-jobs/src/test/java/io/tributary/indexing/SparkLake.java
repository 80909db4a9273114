package io.tributary.indexing;

import io.tributary.core.config.TributaryConfig;
import io.tributary.core.io.FileTrees;
import io.tributary.lake.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Spark local session and one scratch directory per test class, the lake at {@code <directory>/lake}:
 * register it as {@code @RegisterExtension static final SparkLake LAKE = new SparkLake("name");}. The session
 * is stopped and the directory deleted after the class.
 */
public final class SparkLake implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private Path directory;
    private TributaryConfig config;
    private SparkSession spark;

    public SparkLake(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory("tributary-" + name.replaceAll("[^A-Za-z0-9-]", "-") + "-");
        config = SparkSessions.testConfig(directory.resolve("lake"));
        spark = SparkSessions.start(config, name);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (spark != null) {
                spark.stop();
            }
        } finally {
            FileTrees.delete(directory);
        }
    }

    public SparkSession spark() {
        return spark;
    }

    /** The test settings with {@code tributary.lake.root} at {@code directory()/lake}. */
    public TributaryConfig config() {
        return config;
    }

    /** The lake root's URI, as jobs take it. */
    public String lakeRoot() {
        return config.lakeRoot();
    }

    /** The class's scratch directory (the lake is its {@code lake} folder). */
    public Path directory() {
        return directory;
    }
}
