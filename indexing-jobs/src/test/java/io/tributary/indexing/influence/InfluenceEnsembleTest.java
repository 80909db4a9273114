package io.tributary.indexing.influence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tributary.core.lake.LakeTable;
import io.tributary.indexing.SparkLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Ensembles of the influence job (checkpoints of one adapter, independently trained adapters), with real gradients. */
class InfluenceEnsembleTest {
    static final String ALICE = "0x" + "a1".repeat(20);
    static final String BOB = "0x" + "b2".repeat(20);

    @RegisterExtension
    static final SparkLake LAKE = new SparkLake("influence-ensemble-test");

    static final List<InfluenceLake.Text> TRAIN = List.of(
            new InfluenceLake.Text("Q: MIT A: MIT License", ALICE),
            new InfluenceLake.Text("Q: Apache-2.0 A: Apache License 2.0", BOB),
            new InfluenceLake.Text("Q: MIT A: Apache License 2.0", ALICE),
            new InfluenceLake.Text("Q: BSD-3-Clause A: BSD 3-Clause License", BOB));
    static final List<InfluenceLake.Text> EVAL = List.of(
            new InfluenceLake.Text("Q: the MIT licence A: MIT License", BOB),
            new InfluenceLake.Text("Q: the Apache-2.0 licence A: Apache License 2.0", ALICE));

    @AfterEach
    void closeModels() {
        ModelCache.clear();
    }

    /** The tiny random base model every adapter here adapts, written once into the test's directory. */
    static Path base() {
        return InfluenceLake.baseModel(LAKE.directory().resolve("base"));
    }

    static String lake(String name) {
        return LAKE.directory().resolve("lake-" + name).toAbsolutePath().toUri().toString();
    }

    static InfluenceJob job(String lake, long projectionSeed) {
        return new InfluenceJob(LAKE.spark(), lake, new io.tributary.indexing.index.LakeFiles(Map.of()),
                new InfluenceSettings(InfluenceMethod.TRAK, 16, projectionSeed, 0.1, 0.1, 2, 50, 1, 0));
    }

    /** An adapter with B drawn from {@code seed} (as training leaves it), a checkpoint at step 1 and its learning rates. */
    static Path adapter(String name, long seed) throws Exception {
        Path directory = LAKE.directory().resolve("adapter-" + name);
        try (LoadedModel loaded = InfluenceLake.load(base(), null, 16, seed)) {
            InfluenceLake.randomizeB(loaded, 0.3f, seed);
            InfluenceLake.checkpoint(loaded, directory, 1);
            InfluenceLake.randomizeB(loaded, 0.1f, seed + 100);
            loaded.adapter().save(directory);
        }
        InfluenceLake.learningRates(directory, 0.02, 0.01);
        return directory;
    }

    /** A copy of {@code adapter} with the same weights but another id (its config file differs by a trailing newline). */
    static Path sameWeights(Path adapter, String name) throws Exception {
        Path copy = LAKE.directory().resolve("adapter-" + name);
        try (java.util.stream.Stream<Path> paths = Files.walk(adapter)) {
            for (Path path : paths.toList()) { // parents first
                Path target = copy.resolve(adapter.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
        Path config = copy.resolve(io.tributary.model.lora.LoraAdapter.CONFIG_FILE);
        Files.writeString(config, Files.readString(config) + "\n");
        return copy;
    }

    static String register(String lake, Path adapter, List<InfluenceLake.Text> train) {
        return InfluenceLake.register(LAKE.spark(), lake, "licenses", 0, base(), adapter, train, EVAL);
    }

    static String lakeWithContributions(String name) {
        String lake = lake(name);
        List<InfluenceLake.Text> all = new ArrayList<>(TRAIN);
        all.addAll(EVAL);
        InfluenceLake.appendContributions(LAKE.spark(), lake, "licenses", all);
        return lake;
    }

    @Test
    void anEnsembleOfTwoAdaptersWithTheSameWeightsScoresAsTheAdapterAlone() throws Exception {
        String lake = lakeWithContributions("identical");
        Path first = adapter("identical", 3);
        String firstId = register(lake, first, TRAIN);
        String secondId = register(lake, sameWeights(first, "identical-copy"), TRAIN);
        assertThat(secondId).isNotEqualTo(firstId);
        InfluenceJob job = job(lake, 5);
        for (Map.Entry<InfluenceMethod, QuerySet> pair : List.of(Map.entry(InfluenceMethod.TRAK, QuerySet.EVAL),
                Map.entry(InfluenceMethod.DATAINF, QuerySet.SELF))) {
            InfluenceMethod method = pair.getKey();
            QuerySet querySet = pair.getValue();
            InfluenceJob.Result single = job.run(firstId, method, querySet);
            InfluenceJob.Result ensemble = job.run(firstId, method, querySet, GradientNormalization.NONE,
                    InfluenceEnsemble.adapters(List.of(secondId)));
            assertThat(ensemble.methodLabel()).isEqualTo(method.label() + "-ensemble");
            assertThat(ensemble.members()).containsExactly(firstId, secondId);
            assertThat(ensemble.runId()).isNotEqualTo(single.runId());
            assertThat(ensemble.matrix().trainIds()).isEqualTo(single.matrix().trainIds());
            assertThat(ensemble.matrix().queryIds()).isEqualTo(single.matrix().queryIds());
            for (int i = 0; i < single.matrix().size(); i++) {
                for (int j = 0; j < single.matrix().queryIds().size(); j++) {
                    double expected = single.matrix().scores()[i][j];
                    assertThat(ensemble.matrix().scores()[i][j]).as(method + " " + querySet.label())
                            .isCloseTo(expected, within(1e-12 * Math.abs(expected)));
                }
            }
        }
        // The member's query gradients are stored under the queries' ids, not as its own (empty) eval split.
        InfluenceJob.Result ensemble = job.run(firstId, InfluenceMethod.TRAK, QuerySet.EVAL, GradientNormalization.NONE,
                InfluenceEnsemble.adapters(List.of(secondId)));
        assertThat(ensemble.gradientSets()).allMatch(GradientSet::reused);
        assertThat(ensemble.gradientSets()).extracting(set -> set.directory().substring(set.directory().lastIndexOf('/') + 1))
                .hasSize(4).startsWith("train", "eval", "train");
        assertThat(ensemble.gradientSets().get(3).directory()).matches(".*/final/eval-[0-9a-f]{16}");
        assertThat(ensemble.gradientSets().get(2).directory()).contains("/influence/" + secondId + "/");
        List<Row> rows = LAKE.spark().read().format("delta").load(LakeTable.INFLUENCE.path(lake))
                .where("method = 'trak-ensemble' AND query_set = 'eval'").collectAsList();
        assertThat(rows).hasSize(TRAIN.size());
        assertThat(rows).extracting(row -> row.<String>getAs("adapter_id")).containsOnly(firstId);
    }

    @Test
    void anEnsembleAveragesEachContributionsScoresOverItsMembersAndCheckpoints() throws Exception {
        String lake = lakeWithContributions("average");
        String firstId = register(lake, adapter("average-1", 3), TRAIN);
        String secondId = register(lake, adapter("average-2", 4), TRAIN);
        InfluenceJob job = job(lake, 5);
        for (Map.Entry<InfluenceMethod, QuerySet> pair : List.of(Map.entry(InfluenceMethod.TRAK, QuerySet.EVAL),
                Map.entry(InfluenceMethod.DATAINF, QuerySet.SELF), Map.entry(InfluenceMethod.TRACIN, QuerySet.EVAL))) {
            InfluenceMethod method = pair.getKey();
            QuerySet querySet = pair.getValue();
            ScoreMatrix first = job.run(firstId, method, querySet).matrix();
            ScoreMatrix second = job.run(secondId, method, querySet).matrix();
            InfluenceJob.Result ensemble = job.run(firstId, method, querySet, GradientNormalization.NONE,
                    InfluenceEnsemble.adapters(List.of(secondId)));
            assertThat(first.scores()[0][0]).as("the members differ").isNotCloseTo(second.scores()[0][0],
                    within(1e-3 * Math.abs(first.scores()[0][0])));
            assertHandMean(ensemble.matrix(), List.of(first, second), method + " " + querySet.label());
            // The table's score of a contribution: its averaged scores, averaged over the queries.
            for (InfluenceJob.Scored row : ensemble.scored()) {
                int i = first.trainIds().indexOf(row.contributionId());
                assertThat(row.score()).isCloseTo((first.meanScore(i) + second.meanScore(i)) / 2,
                        within(1e-9 * Math.abs(row.score())));
            }
        }
        // Checkpoints: each training state of one adapter is a model; the scores are their mean.
        JavaSparkContext context = JavaSparkContext.fromSparkContext(LAKE.spark().sparkContext());
        InfluenceScorer scorer = new InfluenceScorer(context);
        InfluenceJob.Result checkpoints = job.run(firstId, InfluenceMethod.TRAK, QuerySet.EVAL, GradientNormalization.NONE,
                InfluenceEnsemble.CHECKPOINTS);
        assertThat(checkpoints.methodLabel()).isEqualTo("trak-checkpoints");
        assertThat(checkpoints.members()).containsExactly("step-00000001", AdapterState.FINAL);
        assertThat(checkpoints.gradientSets()).allMatch(GradientSet::reused); // TracIn above computed every state
        List<GradientSet> sets = checkpoints.gradientSets();
        List<ScoreMatrix> perState = List.of(
                scorer.trak(sets.get(0).rdd(context, files()), sets.get(1).readAll(files()), 0.1),
                scorer.trak(sets.get(2).rdd(context, files()), sets.get(3).readAll(files()), 0.1));
        assertThat(perState.get(0).scores()[0][0]).isNotCloseTo(perState.get(1).scores()[0][0],
                within(1e-3 * Math.abs(perState.get(1).scores()[0][0])));
        assertHandMean(checkpoints.matrix(), perState, "trak-checkpoints");
        InfluenceJob.Result selfCheckpoints = job.run(firstId, InfluenceMethod.DATAINF, QuerySet.SELF,
                GradientNormalization.NONE, InfluenceEnsemble.CHECKPOINTS);
        assertHandMean(selfCheckpoints.matrix(), List.of(
                scorer.dataInfSelf(sets.get(0).rdd(context, files()), sets.get(0).layout().featureSize(),
                        sets.get(0).layout().modules().size(), 0.1),
                scorer.dataInfSelf(sets.get(2).rdd(context, files()), sets.get(2).layout().featureSize(),
                        sets.get(2).layout().modules().size(), 0.1)),
                "datainf-checkpoints self");
    }

    @Test
    void aCheckpointEnsembleIsReproducibleBitForBitForAProjectionSeed() throws Exception {
        Path adapter = adapter("reproducible", 3);
        List<double[][]> runs = new ArrayList<>();
        for (String name : List.of("reproducible-1", "reproducible-2")) { // two lakes: every gradient computed afresh
            String lake = lakeWithContributions(name);
            String id = register(lake, adapter, TRAIN);
            InfluenceJob.Result result = job(lake, 5).run(id, InfluenceMethod.TRAK, QuerySet.EVAL, GradientNormalization.NONE,
                    InfluenceEnsemble.CHECKPOINTS);
            assertThat(result.gradientSets()).noneMatch(GradientSet::reused);
            runs.add(result.matrix().scores());
        }
        assertThat(runs.get(1)).isDeepEqualTo(runs.get(0));
        String lake = lakeWithContributions("reproducible-3");
        double[][] otherSeed = job(lake, 6).run(register(lake, adapter, TRAIN), InfluenceMethod.TRAK, QuerySet.EVAL,
                GradientNormalization.NONE, InfluenceEnsemble.CHECKPOINTS).matrix().scores();
        assertThat(otherSeed[0][0]).isNotEqualTo(runs.get(0)[0][0]);
    }

    @Test
    void membersOfAnotherTrainingAreRefusedWithTheirReason() throws Exception {
        String lake = lakeWithContributions("refused");
        Path weights = adapter("refused", 3);
        String id = register(lake, weights, TRAIN);
        InfluenceJob job = job(lake, 5);
        String fewer = register(lake, sameWeights(weights, "refused-fewer"), TRAIN.subList(0, 3));
        assertThatThrownBy(() -> job.run(id, InfluenceMethod.TRAK, QuerySet.EVAL, GradientNormalization.NONE,
                InfluenceEnsemble.adapters(List.of(fewer))))
                .isInstanceOf(InfluenceException.class)
                .hasMessageContaining("ensemble member " + fewer)
                .hasMessageContaining("its training contributions differ (0 not among the scored adapter's, 1 of the scored adapter's missing)");
        String answerOnly = InfluenceLake.register(LAKE.spark(), lake, "licenses", 0, base(), sameWeights(weights, "refused-scope"),
                TRAIN, EVAL, "{\"sequence_length\": " + InfluenceLake.SEQUENCE_LENGTH + ", \"loss_after\": \" A: \"}");
        assertThatThrownBy(() -> job.run(id, InfluenceMethod.TRAK, QuerySet.SELF, GradientNormalization.NONE,
                InfluenceEnsemble.adapters(List.of(answerOnly))))
                .hasMessageContaining("its loss scope differs (loss_after ' A: ', not '')");
        InfluenceLake.appendContributions(LAKE.spark(), lake, "other", List.of(new InfluenceLake.Text("Q: 0BSD A: BSD Zero", BOB)));
        String otherVersion = InfluenceLake.register(LAKE.spark(), lake, "licenses", 1, base(),
                sameWeights(weights, "refused-version"), TRAIN, EVAL);
        assertThatThrownBy(() -> job.run(id, InfluenceMethod.TRAK, QuerySet.EVAL, GradientNormalization.NONE,
                InfluenceEnsemble.adapters(List.of(otherVersion))))
                .hasMessageContaining("it was trained on Datanet licenses version 1, not licenses version 0");
        assertThatThrownBy(() -> job.run(id, InfluenceMethod.TRAK, QuerySet.EVAL, GradientNormalization.NONE,
                InfluenceEnsemble.adapters(List.of(id))))
                .hasMessageContaining("it is the scored adapter itself");
        assertThatThrownBy(() -> job.run(id, InfluenceMethod.TRACIN, QuerySet.EVAL, GradientNormalization.NONE,
                InfluenceEnsemble.CHECKPOINTS))
                .hasMessageContaining("tracin already sums over the training checkpoints");
        assertThatThrownBy(() -> InfluenceEnsemble.parse(id + ",../../etc"))
                .hasMessageContaining("adapter id '../../etc' is not 64 lowercase hex digits");
        assertThatThrownBy(() -> InfluenceEnsemble.parse(fewer + "," + fewer)).hasMessageContaining("is listed twice");
        assertThat(InfluenceEnsemble.parse("checkpoints")).isEqualTo(InfluenceEnsemble.CHECKPOINTS);
        assertThat(InfluenceEnsemble.parse("none")).isEqualTo(InfluenceEnsemble.SINGLE);
    }

    private static void assertHandMean(ScoreMatrix ensemble, List<ScoreMatrix> members, String what) {
        for (ScoreMatrix member : members) {
            assertThat(member.trainIds()).isEqualTo(ensemble.trainIds());
            assertThat(member.queryIds()).isEqualTo(ensemble.queryIds());
        }
        for (int i = 0; i < ensemble.size(); i++) {
            for (int j = 0; j < ensemble.queryIds().size(); j++) {
                double sum = 0;
                for (ScoreMatrix member : members) {
                    sum += member.scores()[i][j];
                }
                double expected = sum / members.size();
                assertThat(ensemble.scores()[i][j]).as(what + " [" + i + "][" + j + "]")
                        .isCloseTo(expected, within(1e-9 * Math.abs(expected)));
            }
        }
    }

    private static io.tributary.indexing.index.LakeFiles files() {
        return new io.tributary.indexing.index.LakeFiles(Map.of());
    }
}
