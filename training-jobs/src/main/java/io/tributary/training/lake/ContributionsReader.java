package io.tributary.training.lake;

import io.delta.kernel.engine.Engine;
import io.tributary.core.cli.UserError;
import io.tributary.core.id.DatanetId;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.kernel.CommittedBatches;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.training.train.TrainingExample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The canonical contributions of a Datanet at a pinned version of the {@code contributions} table: when
 * the {@code corpus} table (dedup) covers every contribution of that version, only contributions that are
 * their own canonical (canonical_id = contribution_id); otherwise every accepted contribution.
 */
public final class ContributionsReader {
    private static final List<String> CORPUS_COLUMNS = List.of("contribution_id", "canonical_id", "datanet", "version");

    private final Engine engine;
    private final String lakeRoot;

    public ContributionsReader(Engine engine, String lakeRoot) {
        this.engine = engine;
        this.lakeRoot = lakeRoot;
    }

    /** What a training run reads: the version pinned, where canonicity came from, and the examples in ingestion order. */
    public record Selection(DatanetId datanet, long version, String source, List<TrainingExample> examples) {
        /** Only the examples whose ids are listed (a retraining on a subset); an id not selected here is an error. */
        public Selection only(Set<String> ids) {
            Set<String> present = new HashSet<>();
            examples.forEach(example -> present.add(example.contributionId()));
            List<String> unknown = ids.stream().filter(id -> !present.contains(id)).sorted().limit(3).toList();
            if (!unknown.isEmpty()) {
                throw new UserError("contributions " + unknown + " are not canonical contributions of Datanet '"
                        + datanet.value() + "' at version " + version);
            }
            return new Selection(datanet, version, source,
                    examples.stream().filter(example -> ids.contains(example.contributionId())).toList());
        }
    }

    public Selection read(DatanetId datanet, OptionalLong version) {
        KernelTable contributions = KernelTable.reading(engine, LakeTable.CONTRIBUTIONS.path(lakeRoot));
        if (!contributions.exists()) {
            throw new UserError("the lake at " + lakeRoot + " has no contributions table; ingest a Datanet first");
        }
        // Only committed batches: rows of a batch still in the ingestion journal are not part of the Datanet yet.
        Set<String> uncommitted = CommittedBatches.uncommitted(engine, lakeRoot);
        List<String> columns = uncommitted.isEmpty() ? List.of("contribution_id", "datanet", "text", "ingest_order")
                : List.of("contribution_id", "datanet", "text", "ingest_order", "batch_id");
        KernelTable.Rows snapshot = contributions.read(version, columns, "datanet", datanet.value());
        List<Map<String, Object>> rows = new ArrayList<>(snapshot.rows());
        rows.removeIf(row -> uncommitted.contains((String) row.get("batch_id")));
        if (rows.isEmpty()) {
            throw new UserError("Datanet '" + datanet.value() + "' has no contributions at version " + snapshot.version()
                    + " of " + contributions.path());
        }
        rows.sort(Comparator.comparingLong(row -> ((Number) row.get("ingest_order")).longValue()));
        Set<String> present = new HashSet<>();
        rows.forEach(row -> present.add((String) row.get("contribution_id")));
        Set<String> canonical = canonicalIds(datanet, snapshot.version(), present);
        List<TrainingExample> examples = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String id = (String) row.get("contribution_id");
            if (canonical == null || canonical.contains(id)) {
                examples.add(new TrainingExample(id, (String) row.get("text")));
            }
        }
        return new Selection(datanet, snapshot.version(), canonical == null ? "contributions" : "corpus", examples);
    }

    /**
     * Canonical ids from the corpus table as of {@code version}, or null when dedup has not covered every
     * contribution of that version. Dedup only ever adds rows, each tagged with the contributions version
     * that first clustered it, so the corpus of version V is every row tagged V or earlier.
     */
    private Set<String> canonicalIds(DatanetId datanet, long version, Set<String> present) {
        KernelTable corpus = KernelTable.reading(engine, LakeTable.CORPUS.path(lakeRoot));
        if (!corpus.exists()) {
            return null;
        }
        List<String> available = corpus.columns(OptionalLong.empty());
        if (!available.containsAll(CORPUS_COLUMNS)) {
            throw new UserError("corpus table " + corpus.path() + " lacks one of " + CORPUS_COLUMNS + "; it has " + available);
        }
        Set<String> covered = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> row : corpus.read(OptionalLong.empty(), CORPUS_COLUMNS, "datanet", datanet.value()).rows()) {
            boolean asOfVersion = ((Number) row.get("version")).longValue() <= version;
            String id = (String) row.get("contribution_id");
            if (asOfVersion && present.contains(id)) {
                covered.add(id);
                if (id.equals(row.get("canonical_id"))) {
                    ids.add(id);
                }
            }
        }
        return covered.equals(present) ? ids : null;
    }
}
