package io.tributary.indexing.influence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.indexing.SparkLake;
import io.tributary.core.lake.LakeTable;
import io.tributary.indexing.index.LakeFiles;
import io.tributary.model.tokenizer.LossScope;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The influence job in Spark local mode with real DJL gradients, against independent computations. */
class InfluenceJobTest {
    static final String ALICE = "0x" + "a1".repeat(20);
    static final String BOB = "0x" + "b2".repeat(20);
    static final String CAROL = "0x" + "c3".repeat(20);

    @RegisterExtension
    static final SparkLake LAKE = new SparkLake("influence-test");
    static Path base;

    @BeforeAll
    static void start() {
        base = InfluenceLake.baseModel(LAKE.directory().resolve("base"));
    }

    @AfterEach
    void closeModels() {
        ModelCache.clear();
    }

    static InfluenceSettings settings(int projectionDim, long seed) {
        return new InfluenceSettings(InfluenceMethod.TRAK, projectionDim, seed, 0.1, 0.1, 2, 50, 1, 0);
    }

    static LakeFiles files() {
        return new LakeFiles(Map.of());
    }

    /** A lake of its own per test: each test registers its own Datanet and adapter. */
    static String lake(String name) {
        return LAKE.directory().resolve("lake-" + name).toAbsolutePath().toUri().toString();
    }

    @Test
    void gradientsAndScoresOfTwoExamplesMatchAnIndependentNumpyModel() throws Exception {
        String lake = lake("two");
        List<InfluenceLake.Text> train = List.of(
                new InfluenceLake.Text("Q: Which SPDX id names the MIT License? A: MIT. It permits reuse, copying and changes "
                        + "with attribution, and it comes with no warranty.", ALICE),
                new InfluenceLake.Text("Q: Which SPDX id names the Apache License 2.0? A: Apache-2.0.", BOB));
        List<InfluenceLake.Text> eval = List.of(new InfluenceLake.Text("Q: Which SPDX id names the ISC License? A: ISC.", CAROL));
        Path adapter = LAKE.directory().resolve("adapter-two");
        try (LoadedModel loaded = InfluenceLake.load(base, null, 4, 5)) {
            InfluenceLake.randomizeB(loaded, 0.3f, 5);
            loaded.adapter().save(adapter);
        }
        InfluenceLake.learningRates(adapter, 0.5);
        List<InfluenceLake.Text> all = new ArrayList<>(train);
        all.addAll(eval);
        InfluenceLake.appendContributions(LAKE.spark(), lake, "licenses", all);
        String adapterId = InfluenceLake.register(LAKE.spark(), lake, "licenses", 0, base, adapter, train, eval);

        // Gradients: DJL autograd against float64 central differences of a separate NumPy forward pass.
        Map<String, List<LossScope.Scored>> windows = new HashMap<>();
        Map<String, ExampleGradients.Result> djl = new HashMap<>();
        try (LoadedModel loaded = InfluenceLake.load(base, adapter, 4, 5)) {
            for (InfluenceLake.Text text : all) {
                List<LossScope.Scored> split = ExampleWindows.of(text.text(), loaded.tokenizer(), InfluenceLake.SEQUENCE_LENGTH);
                windows.put(text.id(), split);
                djl.put(text.id(), ExampleGradients.compute(loaded, split,
                        eval.contains(text) ? ExampleGradients.Reduction.MEAN : ExampleGradients.Reduction.SUM));
            }
        }
        // Three windows: the two full ones share one batched forward pass, the last one has its own.
        assertThat(windows.get(train.get(0).id())).hasSize(3);
        assertThat(ExampleGradients.batches(windows.get(train.get(0).id()))).extracting(List::size).containsExactly(2, 1);
        JsonNode reference = numpy(adapter, windows, eval.get(0).id());
        Map<String, Map<String, float[]>> independent = new HashMap<>();
        for (InfluenceLake.Text text : all) {
            JsonNode node = reference.get(text.id());
            assertThat(djl.get(text.id()).loss()).isCloseTo(node.get("loss").asDouble(), within(1e-4 * node.get("loss").asDouble()));
            Map<String, float[]> modules = new HashMap<>();
            node.get("gradients").fields().forEachRemaining(entry -> {
                float[] values = new float[entry.getValue().size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) entry.getValue().get(i).asDouble();
                }
                modules.put(entry.getKey(), values);
            });
            assertThat(modules.keySet()).isEqualTo(djl.get(text.id()).gradients().keySet()).hasSize(4);
            for (String module : modules.keySet()) {
                assertThat(relativeError(djl.get(text.id()).gradients().get(module), modules.get(module)))
                        .as("%s of %s", module, text.text()).isLessThan(2e-3);
            }
            independent.put(text.id(), modules);
        }

        // Scores: the job's, against the formulas applied to the projected NumPy gradients.
        Map<String, float[]> projected = new HashMap<>();
        List<GradientProjection> projections = new ArrayList<>();
        independent.get(eval.get(0).id()).keySet().stream().sorted().forEach(module -> projections.add(new GradientProjection(
                module, independent.get(eval.get(0).id()).get(module).length, 4, 5)));
        independent.forEach((id, modules) -> {
            float[] features = new float[GradientProjection.totalDim(projections)];
            int offset = 0;
            for (GradientProjection projection : projections) {
                projection.project(modules.get(projection.module()), features, offset);
                offset += projection.dim();
            }
            projected.put(id, features);
        });
        InfluenceJob job = new InfluenceJob(LAKE.spark(), lake, files(), settings(4, 5));
        float[] query = projected.get(eval.get(0).id());
        List<String> trainIds = train.stream().map(InfluenceLake.Text::id).sorted().toList();

        InfluenceJob.Result tracIn = job.run(adapterId, InfluenceMethod.TRACIN, QuerySet.EVAL);
        assertThat(tracIn.matrix().trainIds()).isEqualTo(trainIds);
        for (int i = 0; i < trainIds.size(); i++) {
            double expected = 0.5 * dot(projected.get(trainIds.get(i)), query);
            assertThat(tracIn.matrix().scores()[i][0]).isCloseTo(expected, within(2e-3 * Math.abs(expected) + 1e-9));
        }

        // TRAK and DataInf over the gradients the run stored (read back from its Arrow files).
        InfluenceScorer scorer = new InfluenceScorer(JavaSparkContext.fromSparkContext(LAKE.spark().sparkContext()));
        JavaRDD<ProjectedGradient> stored = tracIn.gradientSets().get(0).rdd(
                JavaSparkContext.fromSparkContext(LAKE.spark().sparkContext()), files());
        List<ProjectedGradient> queries = tracIn.gradientSets().get(1).readAll(files());
        ScoreMatrix trak = scorer.trak(stored, queries, 0.1);
        double[][] expectedTrak = naiveTrak(trainIds.stream().map(projected::get).toList(), query, 0.1);
        ScoreMatrix dataInf = scorer.dataInf(stored, queries, 4, 0.1);
        double[] expectedDataInf = naiveDataInf(trainIds.stream().map(projected::get).toList(), query, 4, 0.1);
        for (int i = 0; i < trainIds.size(); i++) {
            assertThat(trak.scores()[i][0]).isCloseTo(expectedTrak[i][0], within(5e-3 * Math.abs(expectedTrak[i][0]) + 1e-9));
            assertThat(dataInf.scores()[i][0]).isCloseTo(expectedDataInf[i], within(5e-3 * Math.abs(expectedDataInf[i]) + 1e-9));
        }

        // Self-influence: each training example as its own query, through the job (TracIn) and the scorer.
        InfluenceJob.Result selfTracIn = job.run(adapterId, InfluenceMethod.TRACIN, QuerySet.SELF);
        assertThat(selfTracIn.gradientSets()).hasSize(1).allMatch(GradientSet::reused);
        assertThat(selfTracIn.queries()).isEqualTo(2);
        ScoreMatrix selfTrak = scorer.trakSelf(stored, 16, 0.1);
        ScoreMatrix selfDataInf = scorer.dataInfSelf(stored, 16, 4, 0.1);
        List<float[]> phi = trainIds.stream().map(projected::get).toList();
        for (int i = 0; i < trainIds.size(); i++) {
            float[] own = phi.get(i);
            double expected = 0.5 * dot(own, own);
            assertThat(selfTracIn.matrix().scores()[i][0]).isCloseTo(expected, within(4e-3 * expected));
            double trakExpected = naiveTrak(phi, own, 0.1)[i][0];
            assertThat(selfTrak.scores()[i][0]).isPositive().isCloseTo(trakExpected, within(5e-3 * trakExpected));
            double dataInfExpected = naiveDataInf(phi, own, 4, 0.1)[i];
            assertThat(selfDataInf.scores()[i][0]).isPositive().isCloseTo(dataInfExpected, within(5e-3 * dataInfExpected));
        }
        assertThat(LAKE.spark().read().format("delta").load(LakeTable.INFLUENCE.path(lake)).where("query_set = 'self'").count())
                .isEqualTo(2);

        // Unit-normalized gradients: TracIn becomes the learning-rate weighted cosine; the method column says so.
        InfluenceJob.Result cosine = job.run(adapterId, InfluenceMethod.TRACIN, QuerySet.EVAL, GradientNormalization.UNIT);
        assertThat(cosine.runId()).isNotEqualTo(tracIn.runId());
        for (int i = 0; i < trainIds.size(); i++) {
            double expected = 0.5 * dot(phi.get(i), query) / Math.sqrt(dot(phi.get(i), phi.get(i)) * dot(query, query));
            assertThat(cosine.matrix().scores()[i][0]).isCloseTo(expected, within(2e-3 * Math.abs(expected) + 1e-9));
        }
        assertThat(LAKE.spark().read().format("delta").load(LakeTable.INFLUENCE.path(lake)).where("method = 'tracin-unit'").count())
                .isEqualTo(2);
    }

    @Test
    void projectedGradientsAreReproducibleBitForBitAndReadBackFromArrow() throws Exception {
        String lake = lake("reproducible");
        List<InfluenceLake.Text> train = List.of(
                new InfluenceLake.Text("Redistribution and use in source and binary forms are permitted.", ALICE),
                new InfluenceLake.Text("Permission is hereby granted, free of charge, to any person.", BOB),
                new InfluenceLake.Text("Licensed under the Apache License, Version 2.0.", CAROL));
        Path adapter = LAKE.directory().resolve("adapter-reproducible");
        try (LoadedModel loaded = InfluenceLake.load(base, null, 8, 3)) {
            InfluenceLake.randomizeB(loaded, 0.2f, 3);
            loaded.adapter().save(adapter);
        }
        InfluenceLake.appendContributions(LAKE.spark(), lake, "licenses", train);
        String adapterId = InfluenceLake.register(LAKE.spark(), lake, "licenses", 0, base, adapter, train, List.of());
        AdapterInputs.Adapter inputs = new AdapterInputs(LAKE.spark(), lake, files()).read(adapterId);
        AdapterState last = new AdapterState(AdapterState.FINAL, -1, null, 1);
        GradientSet first = new GradientPass(LAKE.spark(), files(), settings(8, 42)).run(lake + "/first", inputs.source(), last,
                "train", inputs.train(), ExampleGradients.Reduction.SUM, LossScope.WHOLE_TEXT);
        ModelCache.clear();
        GradientSet second = new GradientPass(LAKE.spark(), files(), settings(8, 42)).run(lake + "/second", inputs.source(), last,
                "train", inputs.train(), ExampleGradients.Reduction.SUM, LossScope.WHOLE_TEXT);
        GradientSet otherSeed = new GradientPass(LAKE.spark(), files(), settings(8, 43)).run(lake + "/other", inputs.source(), last,
                "train", inputs.train(), ExampleGradients.Reduction.SUM, LossScope.WHOLE_TEXT);
        assertThat(first.files()).hasSize(2);
        for (int i = 0; i < first.files().size(); i++) {
            byte[] a = Files.readAllBytes(Path.of(java.net.URI.create(first.files().get(i))));
            byte[] b = Files.readAllBytes(Path.of(java.net.URI.create(second.files().get(i))));
            byte[] c = Files.readAllBytes(Path.of(java.net.URI.create(otherSeed.files().get(i))));
            assertThat(a).isEqualTo(b).isNotEqualTo(c);
            // Arrow IPC file format: magic "ARROW1" at both ends.
            assertThat(new String(a, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("ARROW1");
            assertThat(new String(a, a.length - 6, 6, StandardCharsets.US_ASCII)).isEqualTo("ARROW1");
        }

        // Read back: the stored values are the projection of freshly computed gradients, column by column.
        List<ProjectedGradient> stored = first.readAll(files());
        assertThat(stored).extracting(ProjectedGradient::id)
                .containsExactlyInAnyOrderElementsOf(train.stream().map(InfluenceLake.Text::id).toList());
        assertThat(first.layout().modules()).containsExactly("model.layers.0.self_attn.q_proj",
                "model.layers.0.self_attn.v_proj", "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj");
        assertThat(GradientFiles.metadata(files(), first.files().get(0)))
                .containsEntry("tributary.seed", "42").containsEntry("tributary.projection_dim", "8")
                .containsEntry("tributary.adapter_state", "final").containsEntry("tributary.role", "train");
        try (LoadedModel loaded = InfluenceLake.load(base, adapter, 8, 42)) {
            for (ProjectedGradient gradient : stored) {
                String text = train.stream().filter(t -> t.id().equals(gradient.id())).findFirst().orElseThrow().text();
                ExampleGradients.Result result = ExampleGradients.compute(loaded,
                        ExampleWindows.of(text, loaded.tokenizer(), InfluenceLake.SEQUENCE_LENGTH), ExampleGradients.Reduction.SUM);
                float[] expected = new float[32];
                int offset = 0;
                for (GradientProjection projection : loaded.projections()) {
                    projection.project(result.gradients().get(projection.module()), expected, offset);
                    offset += 8;
                }
                assertThat(gradient.features()).containsExactly(expected);
                assertThat(gradient.tokens()).isEqualTo(text.length() + 1);
                assertThat((double) gradient.loss()).isCloseTo(result.loss(), within(1e-3));
            }
        }
        // The same examples again: the manifest matches, nothing is recomputed.
        GradientSet again = new GradientPass(LAKE.spark(), files(), settings(8, 42)).run(lake + "/first", inputs.source(), last,
                "train", inputs.train(), ExampleGradients.Reduction.SUM, LossScope.WHOLE_TEXT);
        assertThat(again.reused()).isTrue();
        assertThat(again.files()).isEqualTo(first.files());
    }

    @Test
    void plantedHelpfulScoresPositiveAndPlantedHarmfulNegativeAsTheirGradientStepsShow() throws Exception {
        String lake = lake("planted");
        // The query: after "a" comes "a". Helpful: the same lesson. Harmful: after "a" comes "b" (then "c").
        InfluenceLake.Text query = new InfluenceLake.Text("a".repeat(30), CAROL);
        InfluenceLake.Text helpful = new InfluenceLake.Text("a".repeat(31), ALICE);
        InfluenceLake.Text harmful = new InfluenceLake.Text("abc".repeat(10), BOB);
        List<InfluenceLake.Text> train = List.of(helpful, harmful,
                new InfluenceLake.Text("Permission is hereby granted, free of charge.", ALICE),
                new InfluenceLake.Text("Licensed under the Apache License.", BOB));
        Path adapter = LAKE.directory().resolve("adapter-planted");
        try (LoadedModel loaded = InfluenceLake.load(base, null, 16, 1)) {
            InfluenceLake.randomizeB(loaded, 0.3f, 1);
            InfluenceLake.checkpoint(loaded, adapter, 1);
            loaded.adapter().save(adapter);
        }
        InfluenceLake.learningRates(adapter, 0.02, 0.02);
        List<InfluenceLake.Text> all = new ArrayList<>(train);
        all.add(query);
        InfluenceLake.appendContributions(LAKE.spark(), lake, "licenses", all);
        String adapterId = InfluenceLake.register(LAKE.spark(), lake, "licenses", 0, base, adapter, train, List.of(query));

        // What "helped" means: one small gradient step on the example lowers the query's loss.
        Map<String, Double> lossChange = new HashMap<>();
        for (InfluenceLake.Text text : List.of(helpful, harmful)) {
            try (LoadedModel loaded = InfluenceLake.load(base, adapter, 16, 1)) {
                List<LossScope.Scored> queryWindows = ExampleWindows.of(query.text(), loaded.tokenizer(), InfluenceLake.SEQUENCE_LENGTH);
                double before = ExampleGradients.loss(loaded, queryWindows, ExampleGradients.Reduction.MEAN);
                InfluenceLake.step(loaded, text.text(), 1e-4, ExampleGradients.Reduction.SUM);
                lossChange.put(text.id(), ExampleGradients.loss(loaded, queryWindows, ExampleGradients.Reduction.MEAN) - before);
            }
        }
        assertThat(lossChange.get(helpful.id())).isNegative();
        assertThat(lossChange.get(harmful.id())).isPositive();

        InfluenceJob job = new InfluenceJob(LAKE.spark(), lake, files(), settings(64, 9));
        InfluenceJob.Result tracIn = job.run(adapterId, InfluenceMethod.TRACIN, QuerySet.EVAL);
        assertThat(tracIn.gradientSets()).extracting(set -> set.layout().metadata().get("tributary.adapter_state"))
                .containsExactly("step-00000001", "step-00000001", "final", "final");
        JavaSparkContext context = JavaSparkContext.fromSparkContext(LAKE.spark().sparkContext());
        InfluenceScorer scorer = new InfluenceScorer(context);
        JavaRDD<ProjectedGradient> finalTrain = tracIn.gradientSets().get(2).rdd(context, files());
        List<ProjectedGradient> finalQueries = tracIn.gradientSets().get(3).readAll(files());
        ScoreMatrix trak = scorer.trak(finalTrain, finalQueries, 0.1);
        ScoreMatrix dataInf = scorer.dataInf(finalTrain, finalQueries, 4, 0.1);
        Map<String, Map<String, Double>> scores = new HashMap<>();
        scores.put("tracin", byId(tracIn.matrix()));
        scores.put("trak", byId(trak));
        scores.put("datainf", byId(dataInf));
        scores.forEach((method, byId) -> {
            double best = byId.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            double worst = byId.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            assertThat(byId.get(helpful.id())).as(method).isPositive().isEqualTo(best);
            assertThat(byId.get(harmful.id())).as(method).isNegative().isEqualTo(worst);
        });

        // The same query served and logged: --queries log scores it as the eval query (rejected lines counted).
        Path log = Path.of(java.net.URI.create(io.tributary.core.inference.InferenceLogFiles.directory(lake)));
        Files.createDirectories(log);
        Files.writeString(log.resolve(io.tributary.core.inference.InferenceLogFiles.completeName("s1", 1)),
                record("inference-1", 1, adapterId, query.text()).toJsonLine() + "\n{\"inference_id\": \"broken\"}\n");
        InfluenceJob.Result logged = job.run(adapterId, InfluenceMethod.TRAK, QuerySet.LOG);
        assertThat(logged.rejectedLogLines()).isEqualTo(1);
        assertThat(logged.queries()).isEqualTo(1);
        assertThat(logged.matrix().queryIds()).containsExactly("inference-1");
        Map<String, Double> trakById = byId(trak);
        byId(logged.matrix()).forEach((id, score) -> assertThat(score).isCloseTo(trakById.get(id), within(1e-9 + 1e-5 * Math.abs(score))));
        assertThat(logged.scored().get(0).contributionId()).isEqualTo(helpful.id());

        // A validation Datanet: its contributions are the queries, less any the adapter trained on.
        InfluenceLake.appendContributions(LAKE.spark(), lake, "licenses-check",
                List.of(new InfluenceLake.Text("a".repeat(26), CAROL), helpful));
        InfluenceJob.Result checked = job.run(adapterId, InfluenceMethod.DATAINF, QuerySet.datanet("licenses-check"));
        assertThat(checked.queries()).isEqualTo(1);
        assertThat(checked.scored().get(0).contributionId()).isEqualTo(helpful.id());
        assertThat(checked.scored().get(train.size() - 1).contributionId()).isEqualTo(harmful.id());
        assertThat(checked.scored().get(0).score()).isPositive();
        assertThat(checked.scored().get(train.size() - 1).score()).isNegative();
        assertThat(LAKE.spark().read().format("delta").load(LakeTable.INFLUENCE.path(lake))
                .where("query_set = 'datanet:licenses-check' AND method = 'datainf'").count()).isEqualTo(train.size());

        // The table: one row per training contribution per run, ranks 1..n; a rerun of the same run adds nothing.
        assertThat(tracIn.scored().get(0).contributionId()).isEqualTo(helpful.id());
        assertThat(tracIn.scored().get(train.size() - 1).contributionId()).isEqualTo(harmful.id());
        InfluenceJob.Result again = job.run(adapterId, InfluenceMethod.TRACIN, QuerySet.EVAL);
        assertThat(again.runId()).isEqualTo(tracIn.runId());
        assertThat(again.gradientSets()).allMatch(GradientSet::reused);
        List<Row> rows = LAKE.spark().read().format("delta").load(LakeTable.INFLUENCE.path(lake)).where("query_set = 'eval'")
                .orderBy("rank").collectAsList();
        assertThat(rows).hasSize(train.size());
        assertThat(rows).extracting(row -> row.getAs("run_id")).containsOnly(again.runId());
        assertThat(rows).extracting(row -> row.getAs("method")).containsOnly("tracin");
        assertThat(rows).extracting(row -> (int) row.getAs("rank")).containsExactly(1, 2, 3, 4);
        assertThat(rows).extracting(row -> (String) row.getAs("contributor")).allMatch(c -> c.equals(ALICE) || c.equals(BOB));
        assertThat(rows.get(0).<String>getAs("contribution_id")).isEqualTo(helpful.id());
        assertThat(rows.get(0).<String>getAs("query_set")).isEqualTo("eval");
        assertThat(rows).extracting(row -> row.<Double>getAs("score")).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        Map<String, double[]> sums = new HashMap<>();
        for (Row row : rows) {
            double[] sum = sums.computeIfAbsent(row.getAs("contributor"), key -> new double[2]);
            sum[0] += row.<Double>getAs("score");
            sum[1] += 1;
        }
        List<Row> contributors = LAKE.spark().read().format("delta").load(LakeTable.INFLUENCE_CONTRIBUTORS.path(lake))
                .where("run_id = '" + again.runId() + "'").collectAsList();
        assertThat(contributors).hasSize(2);
        for (Row row : contributors) {
            double[] expected = sums.get(row.<String>getAs("contributor"));
            assertThat(row.<Double>getAs("score_sum")).isCloseTo(expected[0], within(1e-12));
            assertThat(row.<Integer>getAs("contributions")).isEqualTo((int) expected[1]);
        }
    }

    @Test
    void logQueriesAreTheAdaptersNewestCompletionsAndRejectedLinesAreCounted() throws Exception {
        String lake = lake("log");
        String adapterId = "ad".repeat(32);
        Path log = Path.of(java.net.URI.create(io.tributary.core.inference.InferenceLogFiles.directory(lake)));
        Files.createDirectories(log);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            lines.add(record("inference-" + i, i, i == 3 ? "ef".repeat(32) : adapterId, "completion " + i).toJsonLine());
        }
        lines.add("{\"inference_id\": \"broken\"}");
        Files.writeString(log.resolve(io.tributary.core.inference.InferenceLogFiles.completeName("s1", 1)),
                String.join("\n", lines) + "\n");
        // A file still being written is not read.
        Files.writeString(log.resolve(io.tributary.core.inference.InferenceLogFiles.inProgressName("s1", 2)),
                record("inference-9", 9, adapterId, "partial").toJsonLine() + "\n");
        AdapterInputs.LogQueries queries = new AdapterInputs(LAKE.spark(), lake, files()).logQueries(adapterId, 2);
        assertThat(queries.queries()).extracting(InfluenceExample::id).containsExactly("inference-1", "inference-2");
        assertThat(queries.queries()).extracting(InfluenceExample::text).containsExactly("completion 1", "completion 2");
        assertThat(queries.rejectedLines()).isEqualTo(1);
        assertThat(queries.otherAdapters()).isEqualTo(1);
    }

    static io.tributary.core.inference.InferenceRecord record(String id, int second, String adapterId, String completion) {
        return new io.tributary.core.inference.InferenceRecord(id, java.time.Instant.parse("2026-12-01T00:00:00Z").plusSeconds(second),
                adapterId, "licenses", java.util.OptionalLong.of(0), "ba".repeat(32), "cd".repeat(32),
                io.tributary.core.crypto.Address.of(ALICE), "0123abcd", 3, 2, completion, "stop",
                java.math.BigInteger.TEN, "v1");
    }

    @Test
    void longContributionsAreSampledByEvenlySpacedWindowsIncludingTheFirstAndLast() {
        List<LossScope.Scored> windows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            windows.add(new LossScope.Scored(new int[] {i, i + 1}, new boolean[] {false, true}));
        }
        assertThat(ExampleWindows.evenly(windows, 4)).extracting(window -> window.tokens()[0]).containsExactly(0, 3, 6, 9);
        assertThat(ExampleWindows.evenly(windows, 1)).extracting(window -> window.tokens()[0]).containsExactly(0);
        assertThat(ExampleWindows.evenly(windows, 0)).isSameAs(windows);
        assertThat(ExampleWindows.evenly(windows, 10)).isSameAs(windows);
        assertThatThrownBy(() -> settings(4, 1).withMaxWindows(-1)).hasMessageContaining("--max-windows");
        assertThat(settings(4, 1).withMaxWindows(4).projectionKey()).isEqualTo("projection-4-seed-1-windows-4");
    }

    @Test
    void answerOnlyGradientsAreTheWholeTextsLessThePromptsAndTheJobTakesTheScopeTrainingRecorded() throws Exception {
        LossScope answers = LossScope.after(" A: ");
        String question = "Q: SPDX id of the MIT License? A: "; // one window: the prompt's losses are as in the text
        String text = question + "MIT";
        try (LoadedModel loaded = InfluenceLake.load(base, null, 8, 3)) {
            InfluenceLake.randomizeB(loaded, 0.2f, 3);
            ExampleGradients.Result masked = ExampleGradients.compute(loaded,
                    ExampleWindows.of(text, loaded.tokenizer(), InfluenceLake.SEQUENCE_LENGTH, answers),
                    ExampleGradients.Reduction.SUM);
            ExampleGradients.Result whole = ExampleGradients.compute(loaded,
                    ExampleWindows.of(text, loaded.tokenizer(), InfluenceLake.SEQUENCE_LENGTH), ExampleGradients.Reduction.SUM);
            LossScope.Scored framed = LossScope.WHOLE_TEXT.frame(question, loaded.tokenizer());
            ExampleGradients.Result prompt = ExampleGradients.compute(loaded, List.of(framed.slice(0, framed.length() - 1)),
                    ExampleGradients.Reduction.SUM); // <s> and the question: its tokens' losses as inside the whole text
            assertThat(masked.tokens()).isEqualTo("MIT".length() + 1);
            assertThat(masked.loss()).isCloseTo(whole.loss() - prompt.loss(), within(1e-3 * whole.loss()));
            assertThat(masked.loss()).isLessThan(whole.loss() / 2);
            masked.gradients().forEach((module, gradient) -> {
                float[] all = whole.gradients().get(module);
                float[] asked = prompt.gradients().get(module);
                double scale = 0;
                double error = 0;
                for (int i = 0; i < gradient.length; i++) {
                    scale = Math.max(scale, Math.abs(all[i]));
                    error = Math.max(error, Math.abs(gradient[i] - (all[i] - asked[i])));
                }
                assertThat(error).as(module).isLessThan(1e-3 * scale);
            });
            // Another answer to the same question: a different loss; the mean is over the answer's tokens.
            ExampleGradients.Result other = ExampleGradients.compute(loaded,
                    ExampleWindows.of(question + "Apache-2.0", loaded.tokenizer(), InfluenceLake.SEQUENCE_LENGTH, answers),
                    ExampleGradients.Reduction.MEAN);
            assertThat(other.tokens()).isEqualTo("Apache-2.0".length() + 1);
            assertThat(other.loss()).isNotCloseTo(masked.loss() / masked.tokens(), within(1e-3));
        }

        // The job reads the scope training recorded (loss_after) and takes every training gradient over the answer.
        String lake = lake("answers");
        List<InfluenceLake.Text> train = List.of(new InfluenceLake.Text(text, ALICE),
                new InfluenceLake.Text("Q: Which license does the SPDX identifier BSD-2-Clause name? A: BSD 2-Clause", BOB),
                new InfluenceLake.Text("Q: What is the SPDX identifier of the ISC License? A: ISC", CAROL));
        InfluenceLake.Text query = new InfluenceLake.Text("Q: How is the MIT License written in SPDX? A: MIT", ALICE);
        Path adapter = LAKE.directory().resolve("adapter-answers");
        try (LoadedModel loaded = InfluenceLake.load(base, null, 8, 3)) {
            InfluenceLake.randomizeB(loaded, 0.2f, 3);
            loaded.adapter().save(adapter);
        }
        List<InfluenceLake.Text> all = new ArrayList<>(train);
        all.add(query);
        InfluenceLake.appendContributions(LAKE.spark(), lake, "licenses", all);
        String adapterId = InfluenceLake.register(LAKE.spark(), lake, "licenses", 0, base, adapter, train, List.of(query),
                "{\"sequence_length\": " + InfluenceLake.SEQUENCE_LENGTH + ", \"loss_after\": \" A: \"}");
        AdapterInputs.Adapter inputs = new AdapterInputs(LAKE.spark(), lake, files()).read(adapterId);
        assertThat(inputs.source().lossScope()).isEqualTo(answers);
        InfluenceJob job = new InfluenceJob(LAKE.spark(), lake, files(), settings(8, 42));
        job.run(adapterId, InfluenceMethod.TRAK, QuerySet.EVAL);
        String directory = job.directory(adapterId) + "/final/train";
        JsonNode manifest = new ObjectMapper().readTree(files().read(directory + "/" + GradientPass.MANIFEST));
        List<String> modules = new ArrayList<>();
        manifest.path("modules").forEach(node -> modules.add(node.asText()));
        GradientFiles.Layout layout = new GradientFiles.Layout(modules, 8, Map.of());
        Map<String, ProjectedGradient> stored = new HashMap<>();
        manifest.path("files").forEach(file -> GradientFiles.read(files(), file.asText(), layout)
                .forEach(gradient -> stored.put(gradient.id(), gradient)));
        assertThat(stored).hasSize(3);
        try (LoadedModel loaded = InfluenceLake.load(base, adapter, 8, 42)) {
            for (InfluenceLake.Text example : train) {
                String answer = example.text().substring(example.text().lastIndexOf(" A: ") + 4);
                double expected = ExampleGradients.loss(loaded, ExampleWindows.of(example.text(), loaded.tokenizer(),
                        InfluenceLake.SEQUENCE_LENGTH, answers), ExampleGradients.Reduction.SUM);
                assertThat(stored.get(example.id()).tokens()).isEqualTo(answer.length() + 1);
                assertThat((double) stored.get(example.id()).loss()).isCloseTo(expected, within(1e-3 * expected));
            }
        }

        // A query (or contribution) without the marker has no answer to take the loss on: refused by name.
        String bad = lake("answers-bad");
        InfluenceLake.Text unmarked = new InfluenceLake.Text("The MIT License is short.", BOB);
        List<InfluenceLake.Text> badAll = new ArrayList<>(train);
        badAll.add(unmarked);
        InfluenceLake.appendContributions(LAKE.spark(), bad, "licenses", badAll);
        String badId = InfluenceLake.register(LAKE.spark(), bad, "licenses", 0, base, adapter, train, List.of(unmarked),
                "{\"sequence_length\": " + InfluenceLake.SEQUENCE_LENGTH + ", \"loss_after\": \" A: \"}");
        assertThatThrownBy(() -> new InfluenceJob(LAKE.spark(), bad, files(), settings(8, 42))
                .run(badId, InfluenceMethod.TRAK, QuerySet.EVAL))
                .hasStackTraceContaining(unmarked.id()).hasStackTraceContaining("' A: '");
        assertThat(AdapterInputs.lossScope(badId, "{\"sequence_length\": 8}")).isEqualTo(LossScope.WHOLE_TEXT);
        assertThatThrownBy(() -> AdapterInputs.lossScope(badId, "{\"loss_after\": 3}"))
                .isInstanceOf(InfluenceException.class).hasMessageContaining("loss_after");
    }

    @Test
    void refusesUnknownAdaptersAndIdsThatAreNotHashes() {
        InfluenceJob job = new InfluenceJob(LAKE.spark(), lake("planted"), files(), settings(4, 1));
        assertThatThrownBy(() -> job.run("../../etc", InfluenceMethod.TRAK, QuerySet.EVAL))
                .isInstanceOf(InfluenceException.class).hasMessageContaining("not 64 lowercase hex digits");
        assertThatThrownBy(() -> new InfluenceJob(LAKE.spark(), lake("none"), files(), settings(4, 1)).run("ab".repeat(32),
                InfluenceMethod.TRAK, QuerySet.EVAL)).isInstanceOf(InfluenceException.class).hasMessageContaining("no adapters table");
        assertThatThrownBy(() -> InfluenceMethod.parse("lissa")).hasMessageContaining("tracin, trak, datainf");
        assertThatThrownBy(() -> QuerySet.parse("datanet:../x")).isInstanceOf(InfluenceException.class)
                .hasMessageContaining("needs a Datanet id");
        assertThatThrownBy(() -> QuerySet.parse("train")).hasMessageContaining("eval, log, self or datanet:ID");
        assertThat(QuerySet.parse("datanet:legal-check").label()).isEqualTo("datanet:legal-check");
        assertThatThrownBy(() -> GradientNormalization.parse("l1")).hasMessageContaining("none or unit");
    }

    static Map<String, Double> byId(ScoreMatrix matrix) {
        Map<String, Double> out = new HashMap<>();
        for (int i = 0; i < matrix.size(); i++) {
            out.put(matrix.trainIds().get(i), matrix.meanScore(i));
        }
        return out;
    }

    // --- independent computations ---

    static JsonNode numpy(Path adapter, Map<String, List<LossScope.Scored>> windows, String queryId) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode request = mapper.createObjectNode();
        ArrayNode examples = request.putArray("examples");
        windows.forEach((id, split) -> {
            ObjectNode example = examples.addObject();
            example.put("id", id);
            example.put("reduction", id.equals(queryId) ? "mean" : "sum");
            ArrayNode list = example.putArray("windows");
            split.forEach(window -> {
                ArrayNode tokens = list.addArray();
                for (int token : window.tokens()) {
                    tokens.add(token);
                }
            });
        });
        Path requestFile = LAKE.directory().resolve("request.json");
        Files.writeString(requestFile, mapper.writeValueAsString(request));
        Path script = LAKE.directory().resolve("influence_reference.py");
        try (InputStream in = InfluenceJobTest.class.getResourceAsStream("/influence_reference.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        // It imports the safetensors reader and the norms of the model runtime's reference program.
        Files.copy(Path.of(System.getProperty("user.dir")).resolve("../model-runtime/src/test/resources/llama_reference.py"),
                LAKE.directory().resolve("llama_reference.py"), StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", script.toString(), base.toString(), adapter.toString(),
                requestFile.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        // One BLAS thread: the reference's matrices are tiny, and spinning thread pools crawl on a busy 2-core machine.
        builder.environment().put("OPENBLAS_NUM_THREADS", "1");
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("NumPy reference (needs Debian's python3-numpy)").isZero();
        return mapper.readTree(out);
    }

    static double relativeError(float[] actual, float[] expected) {
        double difference = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            difference = Math.max(difference, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return difference / scale;
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /** (Phi^T Phi + lambda I)^-1 by Gauss-Jordan elimination, then phi_q^T M phi_i. */
    static double[][] naiveTrak(List<float[]> phi, float[] query, double damping) {
        int k = query.length;
        double[][] m = new double[k][2 * k];
        for (float[] row : phi) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    m[i][j] += (double) row[i] * row[j];
                }
            }
        }
        double trace = 0;
        for (int i = 0; i < k; i++) {
            trace += m[i][i];
        }
        for (int i = 0; i < k; i++) {
            m[i][i] += damping * trace / Math.min(phi.size(), k);
            m[i][k + i] = 1;
        }
        for (int c = 0; c < k; c++) {
            int pivot = c;
            for (int r = c + 1; r < k; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] swap = m[c];
            m[c] = m[pivot];
            m[pivot] = swap;
            double p = m[c][c];
            for (int j = 0; j < 2 * k; j++) {
                m[c][j] /= p;
            }
            for (int r = 0; r < k; r++) {
                if (r != c) {
                    double f = m[r][c];
                    for (int j = 0; j < 2 * k; j++) {
                        m[r][j] -= f * m[c][j];
                    }
                }
            }
        }
        double[][] out = new double[phi.size()][1];
        for (int n = 0; n < phi.size(); n++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    out[n][0] += query[i] * m[i][k + j] * phi.get(n)[j];
                }
            }
        }
        return out;
    }

    /** DataInf's formula term by term, one block of {@code dim} features at a time. */
    static double[] naiveDataInf(List<float[]> g, float[] v, int dim, double damping) {
        int blocks = v.length / dim;
        double[] out = new double[g.size()];
        for (int b = 0; b < blocks; b++) {
            int offset = b * dim;
            double meanNorm = 0;
            for (float[] row : g) {
                meanNorm += blockDot(row, row, offset, dim) / g.size();
            }
            double lambda = damping * meanNorm;
            for (int i = 0; i < g.size(); i++) {
                double correction = 0;
                for (float[] t : g) {
                    correction += blockDot(v, t, offset, dim) * blockDot(t, g.get(i), offset, dim)
                            / (lambda + blockDot(t, t, offset, dim));
                }
                out[i] += (blockDot(v, g.get(i), offset, dim) - correction / g.size()) / lambda;
            }
        }
        return out;
    }

    static double blockDot(float[] a, float[] b, int offset, int dim) {
        double sum = 0;
        for (int i = offset; i < offset + dim; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
