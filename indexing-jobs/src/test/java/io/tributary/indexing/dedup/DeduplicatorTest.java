package io.tributary.indexing.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.tributary.indexing.SparkLake;
import io.tributary.core.cli.UserError;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.lake.LakeTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DeduplicatorTest {
    @RegisterExtension
    static final SparkLake LAKE = new SparkLake("dedup-test");

    private Deduplicator deduplicator() {
        return new Deduplicator(LAKE.spark(), LAKE.lakeRoot(), DedupSettings.from(LAKE.config()));
    }

    @Test
    void findsPlantedDuplicatesAndKeepsTheEarliestAsCanonical() {
        DatanetId datanet = DatanetId.of("planted");
        Random random = new Random(1);
        String a = SampleText.words(random, 400);
        String b = SampleText.words(random, 300);
        String c = SampleText.words(random, 350);
        String aShouted = SampleText.reflow(a.toUpperCase(java.util.Locale.ROOT));
        String aEdited = SampleText.editWords(a, random, 4);
        String bEdited = SampleText.editWords(b, random, 3);
        String halfOfA = a.substring(0, a.length() / 2) + " " + SampleText.words(random, 200);
        List<String> texts = List.of(aEdited, a, b, aShouted, c, bEdited, halfOfA);
        SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), datanet, texts);

        DedupSummary summary = deduplicator().run(datanet, OptionalLong.empty());

        Map<String, Row> corpus = corpus(datanet);
        String aEditedId = id(aEdited);
        // The edited copy was ingested first: it is the canonical of A's cluster, and A itself a near duplicate.
        assertThat(corpus.get(aEditedId).getAs("duplicate_kind").toString()).isEqualTo("none");
        assertThat(corpus.get(aEditedId).<String>getAs("canonical_id")).isEqualTo(aEditedId);
        assertThat(corpus.get(id(a)).<String>getAs("canonical_id")).isEqualTo(aEditedId);
        assertThat(corpus.get(id(a)).<String>getAs("duplicate_kind")).isEqualTo("near");
        assertThat(corpus.get(id(a)).<Double>getAs("similarity")).isBetween(0.8, 0.999);
        // Same text after NFKC, case folding and white space: normalized duplicate of A, same cluster.
        assertThat(corpus.get(id(aShouted)).<String>getAs("canonical_id")).isEqualTo(aEditedId);
        assertThat(corpus.get(id(aShouted)).<String>getAs("duplicate_kind")).isEqualTo("near");
        assertThat(corpus.get(id(bEdited)).<String>getAs("canonical_id")).isEqualTo(id(b));
        assertThat(corpus.get(id(bEdited)).<String>getAs("duplicate_kind")).isEqualTo("near");
        assertThat(corpus.get(id(c)).<String>getAs("duplicate_kind")).isEqualTo("none");
        assertThat(corpus.get(id(halfOfA)).<String>getAs("duplicate_kind")).isEqualTo("none");
        assertThat(corpus.get(id(halfOfA)).<Double>getAs("similarity")).isEqualTo(1.0);
        assertThat(corpus.get(id(a)).<Long>getAs("cluster_id")).isEqualTo(0L);
        assertThat(corpus.get(id(bEdited)).<Long>getAs("cluster_id")).isEqualTo(2L);

        assertThat(summary.contributions()).isEqualTo(7);
        assertThat(summary.canonical()).isEqualTo(4);
        assertThat(summary.nearDuplicates()).isEqualTo(3);
        assertThat(summary.normalizedDuplicates()).isZero();
        assertThat(summary.clusters()).isEqualTo(2);
        assertThat(summary.added()).isEqualTo(7);
    }

    @Test
    void aNormalizedDuplicateOfTheCanonicalIsClassifiedNormalizedNotNear() {
        DatanetId datanet = DatanetId.of("normalized");
        Random random = new Random(2);
        String original = SampleText.words(random, 200);
        String compatibilityForms = original.replace("a", "ａ").replace(" ", " \u00a0\n ");
        String upper = original.toUpperCase(java.util.Locale.ROOT);
        String near = SampleText.editWords(original, random, 2);
        SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), datanet,
                List.of(original, compatibilityForms, upper, near));

        DedupSummary summary = deduplicator().run(datanet, OptionalLong.empty());

        Map<String, Row> corpus = corpus(datanet);
        assertThat(corpus.get(id(compatibilityForms)).<String>getAs("duplicate_kind")).isEqualTo("normalized");
        assertThat(corpus.get(id(upper)).<String>getAs("duplicate_kind")).isEqualTo("normalized");
        assertThat(corpus.get(id(upper)).<Double>getAs("similarity")).isEqualTo(1.0);
        assertThat(corpus.get(id(near)).<String>getAs("duplicate_kind")).isEqualTo("near");
        assertThat(corpus.values()).allSatisfy(row ->
                assertThat(row.<String>getAs("canonical_id")).isEqualTo(id(original)));
        assertThat(summary.normalizedDuplicates()).isEqualTo(2);
        assertThat(summary.nearDuplicates()).isEqualTo(1);
        assertThat(summary.clusters()).isEqualTo(1);
    }

    @Test
    void reRunningOnTheSameVersionChangesNothingAndANewerVersionOnlyAdds() {
        DatanetId datanet = DatanetId.of("incremental");
        Random random = new Random(3);
        String first = SampleText.words(random, 300);
        String other = SampleText.words(random, 300);
        long version1 = SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), datanet, List.of(first, other));
        deduplicator().run(datanet, OptionalLong.empty());
        String corpusPath = LakeTable.CORPUS.path(LAKE.lakeRoot());
        long corpusVersion = latestVersion(corpusPath);
        Map<String, Row> before = corpus(datanet);

        DedupSummary again = deduplicator().run(datanet, OptionalLong.of(version1));

        assertThat(again.added()).isZero();
        assertThat(latestVersion(corpusPath)).isEqualTo(corpusVersion);
        assertThat(again.contributions()).isEqualTo(2);

        String copyOfFirst = SampleText.editWords(first, random, 3);
        String fresh = SampleText.words(random, 300);
        long version2 = SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), datanet, List.of(copyOfFirst, fresh));
        DedupSummary newer = deduplicator().run(datanet, OptionalLong.of(version2));

        Map<String, Row> after = corpus(datanet);
        assertThat(newer.added()).isEqualTo(2);
        assertThat(newer.contributions()).isEqualTo(4);
        assertThat(after).hasSize(4);
        before.forEach((id, row) -> assertThat(after.get(id)).isEqualTo(row));
        assertThat(after.get(id(copyOfFirst)).<String>getAs("canonical_id")).isEqualTo(id(first));
        assertThat(after.get(id(copyOfFirst)).<Long>getAs("version")).isEqualTo(version2);
        assertThat(after.get(id(first)).<Long>getAs("version")).isEqualTo(version1);

        // The older version pinned explicitly: everything of it is in the corpus already.
        DedupSummary older = deduplicator().run(datanet, OptionalLong.of(version1));
        assertThat(older.added()).isZero();
        assertThat(older.contributions()).isEqualTo(2);
    }

    @Test
    void aHugeBucketIsCappedYetEveryCopyStillFindsTheEarliest() {
        DatanetId datanet = DatanetId.of("huge-bucket");
        Random random = new Random(5);
        String original = SampleText.words(random, 300);
        List<String> texts = new ArrayList<>();
        texts.add(original);
        String[] words = original.split(" ");
        for (int i = 0; i < 12; i++) {
            // Punctuation only: the same shingles, so all 13 texts share every band's bucket.
            String[] copy = words.clone();
            copy[10 * i + 5] = copy[10 * i + 5] + ";";
            texts.add(String.join(" ", copy));
        }
        SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), datanet, texts);
        DedupSettings defaults = DedupSettings.from(LAKE.config());
        DedupSettings smallBuckets = new DedupSettings(defaults.shingleSize(), defaults.hashes(), defaults.bands(),
                defaults.rows(), defaults.threshold(), defaults.seed(), 4, defaults.clustering());

        DedupSummary summary = new Deduplicator(LAKE.spark(), LAKE.lakeRoot(), smallBuckets).run(datanet, OptionalLong.empty());

        assertThat(summary.cappedBuckets()).isEqualTo(20);
        // Uncapped: 78 pairs. Capped at 4: each text with its next 3 (33 pairs) and the first with the rest (9 more).
        assertThat(summary.candidatePairs()).isEqualTo(42);
        assertThat(corpus(datanet).values()).allSatisfy(row ->
                assertThat(row.<String>getAs("canonical_id")).isEqualTo(id(original)));
        assertThat(summary.nearDuplicates()).isEqualTo(12);
    }

    @Test
    void refusesAVersionTheContributionsTableDoesNotHave() {
        SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), DatanetId.of("versions"), List.of("some text here"));
        assertThatThrownBy(() -> deduplicator().run(DatanetId.of("versions"), OptionalLong.of(10_000)))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("--version 10000 does not exist");
    }

    @Test
    void findsNearDuplicatesOfASmallPlantedCorpusWithTheGoalRecallAndPrecision() {
        DatanetId datanet = DatanetId.of("planted-small");
        Random random = new Random(4);
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sources.add(SampleText.words(random, 150 + random.nextInt(400)));
        }
        PlantedCorpus planted = PlantedCorpus.generate(sources, 3, 5);
        SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), datanet, planted.texts());
        DedupSettings settings = DedupSettings.from(LAKE.config());
        deduplicator().run(datanet, OptionalLong.empty());

        PlantedCorpus.Evaluation evaluation = planted.evaluate(settings, clusters(datanet, planted.texts()));

        assertThat(evaluation.truePairs()).isGreaterThan(40);
        assertThat(evaluation.recall()).isGreaterThanOrEqualTo(0.95);
        assertThat(evaluation.precision()).isGreaterThanOrEqualTo(0.99);
    }


    private List<PlantedCorpus.Assignment> clusters(DatanetId datanet, List<String> texts) {
        Map<String, Row> corpus = corpus(datanet);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            index.put(id(texts.get(i)), i);
        }
        List<PlantedCorpus.Assignment> out = new ArrayList<>();
        for (Row row : corpus.values()) {
            out.add(new PlantedCorpus.Assignment(index.get(row.<String>getAs("contribution_id")),
                    index.get(row.<String>getAs("canonical_id")), row.<Long>getAs("cluster_id")));
        }
        return out;
    }

    private static Map<String, Row> corpus(DatanetId datanet) {
        Map<String, Row> out = new HashMap<>();
        for (Row row : LAKE.spark().read().format("delta").load(LakeTable.CORPUS.path(LAKE.lakeRoot()))
                .where(col("datanet").equalTo(datanet.value())).collectAsList()) {
            out.put(row.getAs("contribution_id"), row);
        }
        return out;
    }

    private static long latestVersion(String path) {
        return DeltaTable.forPath(LAKE.spark(), path).history(1).select("version").head().getLong(0);
    }

    private static String id(String text) {
        return ContributionId.ofText(text).toString();
    }
}
