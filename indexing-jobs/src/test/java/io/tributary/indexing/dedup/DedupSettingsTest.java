package io.tributary.indexing.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tributary.core.config.ConfigException;
import io.tributary.core.config.TributaryConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DedupSettingsTest {
    @Test
    void theDefaultsMakeAPairAtTheThresholdAlmostSurelyACandidate() {
        DedupSettings settings = DedupSettings.from(TributaryConfig.defaults());
        assertThat(settings.hashes()).isEqualTo(settings.bands() * settings.rows());
        assertThat(settings.threshold()).isEqualTo(0.8);
        assertThat(settings.candidateProbability(0.8)).isGreaterThan(0.99);
        assertThat(settings.candidateProbability(0.3)).isLessThan(0.02);
        assertThat(new DedupSettings(5, 120, 20, 6, 0.8, 1, 100, Clustering.EARLIEST_CANONICAL).candidateProbability(0.5)).isCloseTo(0.2702, within(1e-4));
    }

    @Test
    void bandsTimesRowsMustEqualHashesAndTheErrorNamesTheKey() {
        TributaryConfig config = TributaryConfig.parse("tributary.dedup { hashes = 128, bands = 20, rows = 6 }", Path.of("."));
        assertThatThrownBy(() -> DedupSettings.from(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tributary.dedup.bands")
                .hasMessageContaining("20 x 6 = 120, but hashes = 128");
    }

    @Test
    void theThresholdMustBeASimilarity() {
        assertThatThrownBy(() -> new DedupSettings(5, 120, 20, 6, 1.5, 1, 100, Clustering.EARLIEST_CANONICAL))
                .hasMessageContaining("tributary.dedup.threshold");
    }
}
