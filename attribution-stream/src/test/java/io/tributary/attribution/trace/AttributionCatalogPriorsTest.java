package io.tributary.attribution.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.engine.Engine;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.money.FeeSplitter.Prior;
import io.tributary.lake.kernel.KernelTable;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which influence run becomes an adapter's priors, read from a real Delta table. */
class AttributionCatalogPriorsTest {
    private static final String ADAPTER = "a".repeat(64);
    private static final String HELPFUL = "1".repeat(64);
    private static final String MISLABELED = "2".repeat(64);
    private static final String CONTRIBUTOR = "0x1111111111111111111111111111111111111111";

    @TempDir
    Path directory;

    @Test
    void aNewerSelfInfluenceRunNeverBecomesThePriors() {
        Engine engine = KernelTable.engine(Map.of());
        String lake = directory.toString();
        Instant earlier = Instant.parse("2026-12-01T00:00:00Z");
        List<Map<String, Object>> rows = new ArrayList<>();
        // Eval queries: the helpful contribution helped, the mislabeled one hurt.
        rows.add(score("run-eval", "eval", HELPFUL, 0.75, 1, earlier));
        rows.add(score("run-eval", "eval", MISLABELED, -0.5, 2, earlier));
        // A later self-influence run: the mislabeled example is the hardest to fit, so it scores highest.
        rows.add(score("run-self", "self", MISLABELED, 9.0, 1, earlier.plusSeconds(60)));
        rows.add(score("run-self", "self", HELPFUL, 0.25, 2, earlier.plusSeconds(60)));
        KernelTable.writing(engine, lake, LakeTable.INFLUENCE).append(rows);

        AttributionCatalog catalog = new AttributionCatalog(engine, lake, 0);
        List<Prior> priors = catalog.priors(new AttributionCatalog.Adapter(ADAPTER, "legal", 0, Optional.empty(),
                List.of(HELPFUL, MISLABELED)));

        assertThat(priors).extracting(Prior::contributionId).containsExactly(HELPFUL);
    }

    @Test
    void theLatestRunOverRealQueriesWins() {
        Engine engine = KernelTable.engine(Map.of());
        String lake = directory.toString();
        Instant earlier = Instant.parse("2026-12-01T00:00:00Z");
        KernelTable.writing(engine, lake, LakeTable.INFLUENCE).append(List.of(
                score("run-old", "eval", HELPFUL, 0.75, 1, earlier),
                score("run-new", "log", MISLABELED, 0.5, 1, earlier.plusSeconds(60))));

        AttributionCatalog catalog = new AttributionCatalog(engine, lake, 0);
        List<Prior> priors = catalog.priors(new AttributionCatalog.Adapter(ADAPTER, "legal", 0, Optional.empty(),
                List.of(HELPFUL, MISLABELED)));

        assertThat(priors).extracting(Prior::contributionId).containsExactly(MISLABELED);
    }

    private static Map<String, Object> score(String run, String querySet, String contribution, double score, int rank,
                                             Instant at) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("run_id", run);
        row.put("adapter_id", ADAPTER);
        row.put("datanet", "legal");
        row.put("datanet_version", 0L);
        row.put("contribution_id", contribution);
        row.put("contributor", CONTRIBUTOR);
        row.put("method", "trak");
        row.put("query_set", querySet);
        row.put("score", score);
        row.put("rank", rank);
        row.put("computed_at", at);
        return row;
    }
}
