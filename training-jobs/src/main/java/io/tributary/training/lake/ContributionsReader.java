package io.tributary.training.lake;

import io.tributary.core.cli.UserError;
import io.tributary.core.id.DatanetId;
import io.tributary.core.lake.LakeTable;
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
 * the {@code corpus} table (dedup) has rows for that Datanet and version, only contributions that are
 * their own canonical (canonical_id = contribution_id); otherwise every accepted contribution.
 */
public final class ContributionsReader {
    /** The corpus columns that may carry the contributions version a dedup run read. */
    private static final List<String> CORPUS_VERSION_COLUMNS = List.of("version", "datanet_version", "contributions_version");

    private final DeltaKernelTables tables;
    private final String lakeRoot;

    public ContributionsReader(DeltaKernelTables tables, String lakeRoot) {
        this.tables = tables;
        this.lakeRoot = lakeRoot;
    }

    /** What a training run reads: the version pinned, where canonicity came from, and the examples in ingestion order. */
    public record Selection(DatanetId datanet, long version, String source, List<TrainingExample> examples) {}

    public Selection read(DatanetId datanet, OptionalLong version) {
        String contributions = LakeTable.CONTRIBUTIONS.path(lakeRoot);
        if (!tables.exists(contributions)) {
            throw new UserError("the lake at " + lakeRoot + " has no contributions table; ingest a Datanet first");
        }
        List<String> columns = new ArrayList<>(List.of("contribution_id", "datanet", "text"));
        boolean ordered = tables.columns(contributions, version).contains("ingest_order");
        if (ordered) {
            columns.add("ingest_order");
        }
        DeltaKernelTables.Snapshot snapshot = tables.read(contributions, version, columns, "datanet", datanet.value());
        List<Map<String, Object>> rows = new ArrayList<>(snapshot.rows());
        if (rows.isEmpty()) {
            throw new UserError("Datanet '" + datanet.value() + "' has no contributions at version " + snapshot.version()
                    + " of " + contributions);
        }
        rows.sort(ordered
                ? Comparator.comparingLong(row -> ((Number) row.get("ingest_order")).longValue())
                : Comparator.comparing(row -> (String) row.get("contribution_id")));
        Set<String> canonical = canonicalIds(datanet, snapshot.version());
        List<TrainingExample> examples = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String id = (String) row.get("contribution_id");
            if (canonical == null || canonical.contains(id)) {
                examples.add(new TrainingExample(id, (String) row.get("text")));
            }
        }
        return new Selection(datanet, snapshot.version(), canonical == null ? "contributions" : "corpus", examples);
    }

    /** Canonical ids from the corpus table for this Datanet version, or null when dedup has not covered it. */
    private Set<String> canonicalIds(DatanetId datanet, long version) {
        String corpus = LakeTable.CORPUS.path(lakeRoot);
        if (!tables.exists(corpus)) {
            return null;
        }
        List<String> available = tables.columns(corpus, OptionalLong.empty());
        if (!available.containsAll(List.of("contribution_id", "canonical_id", "datanet"))) {
            throw new UserError("corpus table " + corpus + " lacks contribution_id, canonical_id or datanet; it has " + available);
        }
        String versionColumn = CORPUS_VERSION_COLUMNS.stream().filter(available::contains).findFirst().orElse(null);
        List<String> columns = new ArrayList<>(List.of("contribution_id", "canonical_id", "datanet"));
        if (versionColumn != null) {
            columns.add(versionColumn);
        }
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> row : tables.read(corpus, OptionalLong.empty(), columns, "datanet", datanet.value()).rows()) {
            boolean sameVersion = versionColumn == null || row.get(versionColumn) != null
                    && ((Number) row.get(versionColumn)).longValue() == version;
            if (sameVersion && row.get("contribution_id").equals(row.get("canonical_id"))) {
                ids.add((String) row.get("contribution_id"));
            }
        }
        return ids.isEmpty() ? null : ids;
    }
}
