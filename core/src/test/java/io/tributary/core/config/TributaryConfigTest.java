package io.tributary.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TributaryConfigTest {
    @TempDir
    Path base;

    @Test
    void defaultsComeFromTheSchema() {
        TributaryConfig config = TributaryConfig.parse("", base);
        assertThat(config.integer("tributary.ingest.max-text-bytes")).isEqualTo(1_048_576);
        assertThat(config.string("tributary.spark.master")).isEqualTo("local[*]");
        assertThat(config.lakeRoot()).isEqualTo("file:" + base.resolve("data/lake"));
    }

    @Test
    void anUnknownKeyIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> TributaryConfig.parse("tributary.ingest.max-text-byte = 5", base))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tributary.ingest.max-text-byte")
                .hasMessageContaining("unknown key");
        assertThatThrownBy(() -> TributaryConfig.parse("spark.master = x", base))
                .hasMessageContaining("'spark'");
    }

    @Test
    void anIllTypedKeyIsAnErrorNamingTheKeyAndTheTypes() {
        assertThatThrownBy(() -> TributaryConfig.parse("tributary.ingest.max-text-bytes = lots", base))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tributary.ingest.max-text-bytes")
                .hasMessageContaining("must be an integer, not a string");
        assertThatThrownBy(() -> TributaryConfig.parse("tributary.ingest.max-text-bytes = 1.5", base))
                .hasMessageContaining("must be an integer, not a number");
        assertThatThrownBy(() -> TributaryConfig.parse("tributary.spark = 3", base))
                .hasMessageContaining("tributary.spark").hasMessageContaining("must be an object");
    }

    @Test
    void freeFormSectionsTakeAnyScalarKeys() {
        TributaryConfig config = TributaryConfig.parse(
                "tributary.spark.conf { \"spark.executor.memory\" = 4g, \"spark.sql.ansi.enabled\" = true }", base);
        assertThat(config.map("tributary.spark.conf"))
                .containsEntry("spark.executor.memory", "4g")
                .containsEntry("spark.sql.ansi.enabled", "true");
        assertThatThrownBy(() -> TributaryConfig.parse("tributary.spark.conf { x = [1, 2] }", base))
                .hasMessageContaining("tributary.spark.conf.x");
    }

    @Test
    void lakeRootsKeepTheirSchemeAndLocalPathsBecomeFileUris() {
        assertThat(TributaryConfig.normalizeLake("hdfs://namenode:8020/tributary/lake/", base))
                .isEqualTo("hdfs://namenode:8020/tributary/lake");
        assertThat(TributaryConfig.normalizeLake("relative/lake", base))
                .isEqualTo("file:" + base.resolve("relative/lake"));
        assertThat(TributaryConfig.normalizeLake("file:///tmp/x/../lake", base)).isEqualTo("file:/tmp/lake");
        assertThatThrownBy(() -> TributaryConfig.normalizeLake(" ", base)).hasMessageContaining("tributary.lake.root");
    }

    @Test
    void theShippedProfilesAreValid() throws Exception {
        Path repository = Path.of("").toAbsolutePath().getParent();
        for (String profile : new String[] {"local.conf", "cluster.conf"}) {
            Path file = repository.resolve("conf").resolve(profile);
            assertThat(file).exists();
            TributaryConfig config = TributaryConfig.load(file, null);
            assertThat(config.lakeRoot()).isNotBlank();
        }
        assertThat(Files.readString(repository.resolve("conf/cluster.conf"))).contains("hdfs://");
    }
}
