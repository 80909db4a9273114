package io.tributary.indexing.influence.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.Json;
import io.tributary.core.cli.PeakMemory;
import io.tributary.core.cli.Progress;
import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.io.FileTrees;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.spark.SparkSessions;
import io.tributary.lake.spark.SparkSchemas;
import io.tributary.indexing.index.LakeFiles;
import io.tributary.indexing.influence.AdapterInputs;
import io.tributary.indexing.influence.AdapterState;
import io.tributary.indexing.influence.ExampleGradients;
import io.tributary.indexing.influence.ExampleWindows;
import io.tributary.indexing.influence.GradientNormalization;
import io.tributary.indexing.influence.InfluenceEnsemble;
import io.tributary.indexing.influence.InfluenceExample;
import io.tributary.indexing.influence.InfluenceJob;
import io.tributary.indexing.influence.InfluenceMethod;
import io.tributary.indexing.influence.InfluenceSettings;
import io.tributary.indexing.influence.LoadedModel;
import io.tributary.indexing.influence.ModelCache;
import io.tributary.indexing.influence.ModelSource;
import io.tributary.model.tokenizer.LossScope;
import io.tributary.indexing.influence.QuerySet;
import io.tributary.indexing.influence.ScoreMatrix;
import io.tributary.model.llama.ModelDirectory;
import io.tributary.model.lora.AdapterFingerprint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tributary bench influence}: the noisy-label AUC and the linear datamodeling score (LDS) of each method, as
 * dattri and Bergson measure them, with the cost of each method beside the cost of retraining. Everything runs in a
 * work directory with its own lake: SPDX license texts pre-train a tiny base model, a LoRA adapter is trained on
 * question-and-answer contributions with planted wrong answers, and for LDS one adapter is retrained on each of
 * {@code --subsets} random halves of its training contributions (the real {@code model} and {@code train lora}
 * commands, run through bin/tributary). Reruns reuse what the work directory already holds.
 */
@Command(name = "influence", mixinStandardHelpOptions = true,
        description = {"Influence benchmark: noisy-label AUC and LDS (retrained half subsets) of tracin, trak and datainf,",
            "with gradient-pass throughput, method times, retraining time and memory. Two Datanet layouts (--layout): sparse,",
            "each license's fact stated 3 times, and consensus, stated by about 8 clean contributions each, so a planted",
            "answer contradicts what the adapter learned: easier, and the meaningful test of a detector (docs/benchmarks.md)."})
public final class InfluenceBenchmark implements Callable<Integer> {
    static final String QA_DATANET = "bench-qa";
    static final String TEXT_DATANET = "bench-licenses";
    static final String CHECK_DATANET = "bench-qa-check";

    @Mixin
    private GlobalOptions global;

    @Option(names = "--work", paramLabel = "DIR", description = "Work directory (default: <tmp>/tributary-bench-influence).")
    private Path work;

    @Option(names = "--base", paramLabel = "DIR",
            description = "Base model to use (default: a tiny model pre-trained here on SPDX license texts).")
    private Path base;

    @Option(names = "--licenses", paramLabel = "N", defaultValue = "40",
            description = "Licenses asked about, --phrasings questions each (default 40).")
    private int licenses;

    @Option(names = "--layout", paramLabel = "LAYOUT", defaultValue = "sparse",
            description = {"Datanet layout: sparse (each license's fact stated in 3 phrasings, the layout of runs A to D) or",
                "consensus (up to 10 phrasings per license, so the clean majority teaches each fact and a planted answer",
                "contradicts it: easier, and the meaningful test of a detector; use about 12 licenses), or name-answers",
                "(consensus with every question asking a name, a larger share of each contribution). Default sparse.",
                "A work directory keeps the Datanet it was created with."})
    private String layout;

    @Option(names = "--phrasings", paramLabel = "N",
            description = "Phrasings (questions) per license: at most 3 for sparse, 10 for consensus (default: all).")
    private Integer phrasings;

    @Option(names = "--lowest-k", paramLabel = "K", defaultValue = "3",
            description = {"Besides the mean over queries, the AUC is also reported on each contribution's minimum query score",
                "and on the mean of its K most negative query scores (default 3)."})
    private int lowestK;

    @Option(names = "--pretrain-steps", paramLabel = "N", defaultValue = "200", description = "Pre-training steps of the base (default 200).")
    private int pretrainSteps;

    @Option(names = "--subsets", paramLabel = "M",
            description = "Retrained half subsets for LDS, 0 to skip LDS (default: tributary.influence.bench-subsets).")
    private Integer subsets;

    @Option(names = "--steps", paramLabel = "N", description = "LoRA steps of every adapter (default: tributary.influence.bench-steps).")
    private Integer steps;

    @Option(names = "--noise", paramLabel = "F", description = "Share of planted wrong answers (default: tributary.influence.bench-noise-fraction).")
    private Double noise;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the questions and the subsets (default 1).")
    private long seed;

    @Option(names = "--learning-rate", paramLabel = "R",
            description = "Peak learning rate of every adapter (default: tributary.training.lora.learning-rate).")
    private Double learningRate;

    @Option(names = "--catalog-copies", paramLabel = "N", defaultValue = "0",
            description = {"Copies of a catalog of the licenses asked about (id and name, one per line, shuffled per copy) added",
                "to the base model's pre-training texts, so that the base knows the facts the questions ask (default 0)."})
    private int catalogCopies;

    @Option(names = "--format-licenses", paramLabel = "N", defaultValue = "0",
            description = {"Clean questions (all --phrasings of the --layout) about N other licenses, none of those asked about,",
                "added to the base model's pre-training texts: the base learns the question format, not the facts (default 0)."})
    private int formatLicenses;

    @Option(names = "--license-texts", paramLabel = "N", defaultValue = "150",
            description = "SPDX license texts (first N by id) in the base model's pre-training texts (default 150).")
    private int licenseTextCount;

    @Option(names = "--target-modules", paramLabel = "LIST",
            description = "Projections every adapter adapts, e.g. q_proj,v_proj,gate_proj,up_proj,down_proj (default: train lora's).")
    private String targetModules;

    @Option(names = "--rank", paramLabel = "R", description = "LoRA rank of every adapter (default: train lora's).")
    private Integer rank;

    @Option(names = "--alpha", paramLabel = "A", description = "LoRA alpha of every adapter (default: train lora's).")
    private Double alpha;

    @Option(names = "--loss-after", paramLabel = "MARKER",
            description = {"Train every adapter with the loss on the answers only (train lora --loss-after): the tokens after",
                "the last MARKER of each contribution, e.g. ' A: ' (every layout's questions end in it); the influence job",
                "then computes gradients over the same tokens (default: train lora's, the whole text)."})
    private String lossAfter;

    @Option(names = "--ensemble", paramLabel = "K", defaultValue = "1",
            description = {"Also report trak-ensemble and datainf-ensemble over K adapters: K - 1 more trained on the full adapter's",
                "training contributions, training seeds seed+1 .. seed+K-1 (default 1: none; *-checkpoints are always reported)."})
    private int ensembleSize;

    @Override
    public Integer call() throws Exception {
        String home = System.getenv("TRIBUTARY_HOME");
        if (home == null || home.isBlank()) {
            throw new UserError("bench influence runs the model and train commands through bin/tributary; run it with bin/tributary");
        }
        TributaryConfig profile = global.config();
        int m = subsets != null ? subsets : profile.integer("tributary.influence.bench-subsets");
        int loraSteps = steps != null ? steps : profile.integer("tributary.influence.bench-steps");
        double noiseFraction = noise != null ? noise : profile.decimal("tributary.influence.bench-noise-fraction");
        if (m == 1 || m < 0 || loraSteps < 1 || noiseFraction <= 0 || noiseFraction >= 1) {
            throw new UserError("--subsets must be 0 (no LDS) or at least 2, --steps positive and --noise in (0, 1)");
        }
        Path directory = (work != null ? work : Path.of(System.getProperty("java.io.tmpdir"), "tributary-bench-influence"))
                .toAbsolutePath();
        Files.createDirectories(directory);
        String lake = directory.resolve("lake").toUri().toString();
        TributaryConfig config = profile.withLake(lake, directory);
        Cli cli = new Cli(Path.of(home, "bin", "tributary"), lake);
        InfluenceSettings settings = InfluenceSettings.from(config);
        NoisyLicenseQuestions.Layout datanetLayout = switch (layout) {
            case "sparse" -> NoisyLicenseQuestions.Layout.SPARSE;
            case "consensus" -> NoisyLicenseQuestions.Layout.CONSENSUS;
            case "name-answers" -> NoisyLicenseQuestions.Layout.NAME_ANSWERS;
            default -> throw new UserError("--layout must be sparse, consensus or name-answers, got '" + layout + "'");
        };
        int perLicense = phrasings != null ? phrasings
                : datanetLayout == NoisyLicenseQuestions.Layout.SPARSE ? 3 : NoisyLicenseQuestions.MAX_PHRASINGS;
        if (lowestK < 1 || licenses < 2 || ensembleSize < 1) {
            throw new UserError("--lowest-k and --ensemble must be at least 1 and --licenses at least 2");
        }
        List<NoisyLicenseQuestions.Question> questions;
        try {
            questions = NoisyLicenseQuestions.generate(datanetLayout, spdxNames(), licenses, perLicense, noiseFraction,
                    contributors(10), seed);
        } catch (IllegalArgumentException e) {
            throw new UserError("bench influence: " + e.getMessage() + " (--phrasings)");
        }
        List<NoisyLicenseQuestions.Question> check = NoisyLicenseQuestions.validation(spdxNames(), licenses, contributors(10), seed);
        Map<String, Object> out = new LinkedHashMap<>();
        SparkSession spark = SparkSessions.start(config, "bench influence");
        try {
            if (!io.delta.tables.DeltaTable.isDeltaTable(spark, LakeTable.CONTRIBUTIONS.path(lake))) {
                append(spark, lake, QA_DATANET, questions.stream().map(q -> new String[] {q.text(), q.contributor()}).toList());
                List<String[]> texts = new ArrayList<>(licenseTexts(licenseTextCount));
                texts.addAll(catalog(NoisyLicenseQuestions.chosen(spdxNames(), licenses, seed), catalogCopies, seed));
                texts.addAll(formatQuestions(datanetLayout, perLicense, seed));
                append(spark, lake, TEXT_DATANET, texts);
            }
            if (spark.read().format("delta").load(LakeTable.CONTRIBUTIONS.path(lake))
                    .where(org.apache.spark.sql.functions.col("datanet").equalTo(CHECK_DATANET)).isEmpty()) {
                append(spark, lake, CHECK_DATANET, check.stream().map(q -> new String[] {q.text(), q.contributor()}).toList());
            }
            Path baseModel = base != null ? base.toAbsolutePath() : pretrainedBase(cli, directory);
            Path full = directory.resolve("adapters").resolve("full");
            List<String> rate = new ArrayList<>();
            if (learningRate != null) {
                rate.addAll(List.of("--learning-rate", Double.toString(learningRate)));
            }
            if (targetModules != null) {
                rate.addAll(List.of("--target-modules", targetModules));
            }
            if (rank != null) {
                rate.addAll(List.of("--rank", Integer.toString(rank)));
            }
            if (alpha != null) {
                rate.addAll(List.of("--alpha", Double.toString(alpha)));
            }
            if (lossAfter != null) {
                rate.addAll(List.of("--loss-after", lossAfter)); // one argument, spaces and all (a process argument list)
            }
            JsonNode trained = cli.trainOnce(full, concat(List.of("train", "lora", "--datanet", QA_DATANET, "--base",
                    baseModel.toString(), "--out", full.toString(), "--steps", Integer.toString(loraSteps), "--eval-fraction",
                    "0.2", "--checkpoint-every", Integer.toString(Math.max(1, loraSteps / 3)), "--json"), rate));
            String adapterId = trained.path("adapter_id").asText();
            double fullSeconds = trained.path("wall_seconds").asDouble();
            LakeFiles files = new LakeFiles(config.map("tributary.hadoop.conf"));
            AdapterInputs.Adapter adapter = new AdapterInputs(spark, lake, files).read(adapterId);
            Set<String> planted = new HashSet<>();
            questions.stream().filter(NoisyLicenseQuestions.Question::planted).forEach(q -> planted.add(q.contributionId()));
            out.put("datanet", Map.of("layout", layout, "licenses", licenses, "phrasings", perLicense,
                    "contributions", questions.size(), "planted", planted.size(),
                    "train", adapter.train().size(), "queries", adapter.eval().size(),
                    "planted_in_train", adapter.train().stream().filter(e -> planted.contains(e.id())).count()));
            out.put("full_adapter", Map.of("adapter_id", adapterId, "steps", loraSteps, "wall_seconds", round(fullSeconds),
                    "learning_rate", learningRate == null ? profile.decimal("tributary.training.lora.learning-rate") : learningRate,
                    "eval_loss_before", trained.path("eval_loss_before").asDouble(),
                    "eval_loss_after", trained.path("eval_loss_after").asDouble(),
                    "target_modules", targetModules == null ? "default" : targetModules,
                    "rank", rank == null ? "default" : rank, "alpha", alpha == null ? "default" : alpha,
                    "loss_after", adapter.source().lossScope().marker()));

            InfluenceJob job = new InfluenceJob(spark, lake, files, settings);
            Map<String, ScoreMatrix> matrices = new TreeMap<>();
            Map<String, Object> methods = new LinkedHashMap<>();
            List<QuerySet> querySets = List.of(QuerySet.EVAL, QuerySet.datanet(CHECK_DATANET), QuerySet.SELF);
            List<Scoring> scorings = new ArrayList<>();
            for (InfluenceMethod method : List.of(InfluenceMethod.TRAK, InfluenceMethod.DATAINF, InfluenceMethod.TRACIN)) {
                for (GradientNormalization normalization : GradientNormalization.values()) {
                    scorings.add(new Scoring(method, normalization, InfluenceEnsemble.SINGLE));
                }
            }
            List<InfluenceEnsemble> ensembles = new ArrayList<>(List.of(InfluenceEnsemble.CHECKPOINTS));
            List<String> members = ensembleSize > 1 ? trainMembers(cli, directory, baseModel, adapter, loraSteps, rate,
                    profile.longValue("tributary.training.lora.seed"), out) : List.of();
            if (!members.isEmpty()) {
                ensembles.add(InfluenceEnsemble.adapters(members));
            }
            for (InfluenceEnsemble ensemble : ensembles) {
                for (InfluenceMethod method : List.of(InfluenceMethod.TRAK, InfluenceMethod.DATAINF)) {
                    scorings.add(new Scoring(method, GradientNormalization.NONE, ensemble));
                }
            }
            for (Scoring scoring : scorings) {
                InfluenceMethod method = scoring.method();
                GradientNormalization normalization = scoring.normalization();
                for (QuerySet querySet : querySets) {
                    if (querySet == QuerySet.SELF && normalization == GradientNormalization.UNIT
                            && method == InfluenceMethod.TRACIN) {
                        continue; // sum_c eta_c ||unit vector||^2 is the same for every example
                    }
                    InfluenceJob.Result result = job.run(adapterId, method, querySet, normalization, scoring.ensemble());
                    if (!out.containsKey("baseline_training_loss_auc")) { // known once the first pass stored the losses
                        out.put("baseline_training_loss_auc", round(lossAuc(job, adapterId, planted, files)));
                        Progress.step("bench influence: baseline (per-token training loss) AUC "
                                + out.get("baseline_training_loss_auc"));
                        ensembleLossBaseline(job, adapterId, members, planted, files, out); // on a rerun: known now
                        double answers = answerLossAuc(baseModel, full, adapter, settings, planted);
                        if (!Double.isNaN(answers)) {
                            out.put("diagnostic_answer_loss_auc", round(answers));
                            Progress.step("bench influence: diagnostic (answer loss given the question) AUC " + round(answers));
                        }
                    }
                    if (querySet == QuerySet.EVAL) {
                        matrices.put(result.methodLabel(), result.matrix());
                    }
                    Map<String, Object> figures = new LinkedHashMap<>();
                    figures.put("noisy_label_auc", round(auc(result, planted)));
                    if (querySet.kind() != QuerySet.Kind.SELF) {
                        figures.put("noisy_label_auc_min", round(aucLowest(result.matrix(), planted, 1)));
                        figures.put("noisy_label_auc_lowest_" + lowestK, round(aucLowest(result.matrix(), planted, lowestK)));
                    }
                    figures.put("gradient_seconds", round(result.gradientSeconds()));
                    figures.put("gradient_examples_per_second", Double.isNaN(result.examplesPerSecond()) ? "reused"
                            : round(result.examplesPerSecond()));
                    figures.put("scoring_seconds", round(result.scoringSeconds()));
                    figures.put("adapter_states", states(result));
                    figures.put("queries", result.queries());
                    @SuppressWarnings("unchecked")
                    Map<String, Object> byQuerySet = (Map<String, Object>) methods.computeIfAbsent(result.methodLabel(),
                            key -> new LinkedHashMap<String, Object>());
                    byQuerySet.put(querySet.label(), figures);
                    Progress.step("bench influence: " + result.methodLabel() + " on " + querySet.label() + " " + figures);
                }
            }
            out.put("methods", methods);
            ensembleLossBaseline(job, adapterId, members, planted, files, out);

            // LDS: adapters retrained on random halves, their actual query losses against each method's prediction.
            List<String> trainIds = adapter.train().stream().map(InfluenceExample::id).toList();
            double[][] losses = new double[m][];
            double retrainSeconds = 0;
            List<Set<String>> halves = new ArrayList<>();
            for (int s = 0; s < m; s++) { // m = 0: no LDS
                Set<String> half = half(trainIds, seed * 1_000_003L + s);
                halves.add(half);
                Path subset = directory.resolve("adapters").resolve(String.format("half-%03d", s));
                Path idsFile = directory.resolve("adapters").resolve(String.format("half-%03d.txt", s));
                Files.writeString(idsFile, String.join("\n", new java.util.TreeSet<>(half)) + "\n");
                JsonNode retrained = cli.trainOnce(subset, concat(List.of("train", "lora", "--datanet", QA_DATANET, "--base",
                        baseModel.toString(), "--out", subset.toString(), "--steps", Integer.toString(loraSteps),
                        "--eval-fraction", "0", "--checkpoint-every", "0", "--contributions", idsFile.toString(), "--json"), rate));
                retrainSeconds += retrained.path("wall_seconds").asDouble();
                losses[s] = queryLosses(baseModel, subset, adapter, settings);
                Progress.step(String.format("bench influence: half %d/%d retrained, mean query loss %.4f", s + 1, m,
                        java.util.Arrays.stream(losses[s]).average().orElse(Double.NaN)));
            }
            for (String label : matrices.keySet()) {
                if (m == 0) {
                    break;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> figures = (Map<String, Object>) ((Map<String, Object>) methods.get(label)).get("eval");
                figures.put("lds", round(lds(matrices.get(label), halves, losses)));
            }
            if (m > 0) {
                out.put("retraining", Map.of("adapters", m, "wall_seconds_total", round(retrainSeconds),
                        "wall_seconds_per_adapter", round(retrainSeconds / m)));
            }
            out.put("memory", Map.of("peak_rss_mib", PeakMemory.residentMiB(), "peak_heap_mib", PeakMemory.heapMiB(),
                    "stored_bytes_per_example_and_state", 4L * settings.projectionDim()
                            * adapterModules(files, job, adapterId) + 64 + 4 + 4));
            out.put("projection_dim", settings.projectionDim());
        } finally {
            ModelCache.clear();
            spark.stop();
        }
        CommandOutput.of(global).print(out, () -> Json.write(out));
        return 0;
    }

    /** One row group of the report: a method, its gradient normalization and the models its scores average over. */
    private record Scoring(InfluenceMethod method, GradientNormalization normalization, InfluenceEnsemble ensemble) {}

    /**
     * Trains the {@code --ensemble} members: {@code K - 1} adapters on the full adapter's training contributions (no
     * eval split; its queries are scored on every member), same base, steps and options, training seeds
     * {@code seed + 1 .. seed + K - 1}; returns their ids and records them in {@code out}.
     */
    private List<String> trainMembers(Cli cli, Path directory, Path baseModel, AdapterInputs.Adapter adapter, int loraSteps,
                                      List<String> options, long trainingSeed, Map<String, Object> out) throws Exception {
        Path idsFile = directory.resolve("adapters").resolve("train-ids.txt");
        Files.writeString(idsFile, String.join("\n", adapter.train().stream().map(InfluenceExample::id).sorted().toList()) + "\n");
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> trained = new ArrayList<>();
        for (int member = 1; member < ensembleSize; member++) {
            Path memberDirectory = directory.resolve("adapters").resolve(String.format("member-%02d", member));
            long memberSeed = trainingSeed + member;
            JsonNode summary = cli.trainOnce(memberDirectory, concat(List.of("train", "lora", "--datanet", QA_DATANET, "--base",
                    baseModel.toString(), "--out", memberDirectory.toString(), "--steps", Integer.toString(loraSteps),
                    "--eval-fraction", "0", "--checkpoint-every", "0", "--contributions", idsFile.toString(),
                    "--seed", Long.toString(memberSeed), "--json"), options));
            ids.add(summary.path("adapter_id").asText());
            trained.add(Map.of("adapter_id", summary.path("adapter_id").asText(), "seed", memberSeed,
                    "wall_seconds", round(summary.path("wall_seconds").asDouble())));
            Progress.step(String.format("bench influence: ensemble member %d/%d trained (seed %d) in %.1f s", member,
                    ensembleSize - 1, memberSeed, summary.path("wall_seconds").asDouble()));
        }
        out.put("ensemble", Map.of("adapters", ensembleSize, "primary_seed", trainingSeed, "members", trained));
        return ids;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> out = new ArrayList<>(first);
        out.addAll(second);
        return out;
    }

    private static int adapterModules(LakeFiles files, InfluenceJob job, String adapterId) throws IOException {
        Path manifest = Path.of(java.net.URI.create(job.directory(adapterId) + "/final/train/_manifest.json"));
        return Json.MAPPER.readTree(manifest.toFile()).path("modules").size();
    }

    /**
     * AUC of ranking the planted training contributions lowest by the run's (mean over queries) score; for
     * self-influence, highest (a wrong answer is what the adapter had to move most to fit).
     */
    static double auc(InfluenceJob.Result result, Set<String> planted) {
        double sign = result.querySet().kind() == QuerySet.Kind.SELF ? -1 : 1;
        double[] scores = result.scored().stream().mapToDouble(row -> sign * row.score()).toArray();
        boolean[] positive = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            positive[i] = planted.contains(result.scored().get(i).contributionId());
        }
        return RankMetrics.aucLowest(scores, positive);
    }

    /**
     * AUC of ranking the planted training contributions lowest by the mean of their {@code k} most negative query
     * scores ({@link ScoreMatrix#lowestMeanScore}).
     */
    static double aucLowest(ScoreMatrix matrix, Set<String> planted, int k) {
        double[] scores = new double[matrix.size()];
        boolean[] positive = new boolean[matrix.size()];
        for (int i = 0; i < matrix.size(); i++) {
            scores[i] = matrix.lowestMeanScore(i, k);
            positive[i] = planted.contains(matrix.trainIds().get(i));
        }
        return RankMetrics.aucLowest(scores, positive);
    }

    private static int states(InfluenceJob.Result result) {
        return (int) result.gradientSets().stream().filter(set -> set.directory().endsWith("/train")).count();
    }

    /**
     * The baseline every detector should beat: the AUC of ranking planted contributions highest by their own training
     * loss at the final adapter (stored beside the gradients).
     */
    static double lossAuc(InfluenceJob job, String adapterId, Set<String> planted, LakeFiles files) throws IOException {
        return lossAuc(job, List.of(adapterId), planted, files);
    }

    /**
     * The same baseline for an ensemble: each contribution's per-token training loss averaged over the adapters' final
     * states (what an ensemble of loss detectors would rank by), from each adapter's stored training gradients.
     */
    static double lossAuc(InfluenceJob job, List<String> adapterIds, Set<String> planted, LakeFiles files) throws IOException {
        Map<String, Double> meanLoss = new TreeMap<>();
        for (String adapterId : adapterIds) {
            Path manifest = Path.of(java.net.URI.create(job.directory(adapterId) + "/final/train/_manifest.json"));
            JsonNode root = Json.MAPPER.readTree(manifest.toFile());
            List<String> modules = new ArrayList<>();
            root.path("modules").forEach(node -> modules.add(node.asText()));
            io.tributary.indexing.influence.GradientFiles.Layout layout = new io.tributary.indexing.influence.GradientFiles.Layout(
                    modules, root.path("projection_dim").asInt(), Map.of());
            for (JsonNode file : root.path("files")) {
                for (io.tributary.indexing.influence.ProjectedGradient gradient
                        : io.tributary.indexing.influence.GradientFiles.read(files, file.asText(), layout)) {
                    meanLoss.merge(gradient.id(), (double) gradient.loss() / Math.max(1, gradient.tokens()) / adapterIds.size(),
                            Double::sum);
                }
            }
        }
        double[] scores = new double[meanLoss.size()];
        boolean[] positive = new boolean[meanLoss.size()];
        int i = 0;
        for (Map.Entry<String, Double> entry : meanLoss.entrySet()) {
            scores[i] = -entry.getValue();
            positive[i++] = planted.contains(entry.getKey());
        }
        return RankMetrics.aucLowest(scores, positive);
    }

    /**
     * Adds {@code baseline_training_loss_auc_ensemble} to {@code out} once every adapter of the ensemble has its training
     * losses stored (after its first gradient pass; at once on a rerun); nothing without members.
     */
    private static void ensembleLossBaseline(InfluenceJob job, String adapterId, List<String> members, Set<String> planted,
                                             LakeFiles files, Map<String, Object> out) throws IOException {
        List<String> ids = new ArrayList<>(List.of(adapterId));
        ids.addAll(members);
        if (members.isEmpty() || out.containsKey("baseline_training_loss_auc_ensemble") || ids.stream().anyMatch(id ->
                !Files.isRegularFile(Path.of(java.net.URI.create(job.directory(id) + "/final/train/_manifest.json"))))) {
            return;
        }
        out.put("baseline_training_loss_auc_ensemble", round(lossAuc(job, ids, planted, files)));
        Progress.step("bench influence: baseline (per-token training loss, mean over the " + ids.size() + " adapters) AUC "
                + out.get("baseline_training_loss_auc_ensemble"));
    }

    /**
     * dattri's LDS: per query, Spearman between the predicted effect of each subset (the sum of its members' scores;
     * a larger sum predicts a lower loss) and the negated actual loss of the adapter retrained on it; averaged over queries.
     */
    static double lds(ScoreMatrix matrix, List<Set<String>> halves, double[][] losses) {
        int queries = matrix.queryIds().size();
        double sum = 0;
        int counted = 0;
        for (int j = 0; j < queries; j++) {
            double[] predicted = new double[halves.size()];
            double[] actual = new double[halves.size()];
            for (int s = 0; s < halves.size(); s++) {
                for (int i = 0; i < matrix.size(); i++) {
                    if (halves.get(s).contains(matrix.trainIds().get(i))) {
                        predicted[s] += matrix.scores()[i][j];
                    }
                }
                actual[s] = -losses[s][j];
            }
            double rho = RankMetrics.spearman(predicted, actual);
            if (!Double.isNaN(rho)) {
                sum += rho;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    private static Set<String> half(List<String> ids, long seed) {
        List<String> shuffled = new ArrayList<>(ids);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String swap = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, swap);
        }
        return new HashSet<>(shuffled.subList(0, ids.size() / 2));
    }

    /** Mean token loss of every query (in the adapter's eval order) under the adapter at {@code directory}. */
    private static double[] queryLosses(Path baseModel, Path directory, AdapterInputs.Adapter full, InfluenceSettings settings) {
        ModelSource source = new ModelSource(baseModel.toString(), ModelDirectory.fingerprint(baseModel), directory.toString(),
                AdapterFingerprint.sha256(directory), full.source().sequenceLength(), full.source().lossScope());
        LoadedModel loaded = ModelCache.get(source, new AdapterState(AdapterState.FINAL, -1, null, 1), settings.projectionDim(),
                settings.seed(), settings.engineThreads());
        // Queries in the order of the score matrix's query ids (the adapter's eval ids, sorted).
        List<InfluenceExample> queries = new ArrayList<>(full.eval());
        queries.sort(java.util.Comparator.comparing(InfluenceExample::id));
        double[] losses = new double[queries.size()];
        for (int j = 0; j < queries.size(); j++) {
            losses[j] = ExampleGradients.loss(loaded, ExampleWindows.of(queries.get(j).text(), loaded.tokenizer(),
                    full.source().sequenceLength(), full.source().lossScope()), ExampleGradients.Reduction.MEAN);
        }
        return losses;
    }

    /**
     * A diagnostic, not a method: the AUC of ranking the planted training contributions highest by the summed loss of
     * their answer given their question (everything after the last "A: ") under the final adapter, i.e. whether the
     * adapter learned the facts at all, apart from the rest of the text; NaN when a contribution has no "A: ".
     */
    private static double answerLossAuc(Path baseModel, Path directory, AdapterInputs.Adapter full, InfluenceSettings settings,
                                        Set<String> planted) {
        if (full.train().stream().anyMatch(example -> !example.text().contains(" A: "))) {
            return Double.NaN;
        }
        ModelSource source = new ModelSource(baseModel.toString(), ModelDirectory.fingerprint(baseModel), directory.toString(),
                AdapterFingerprint.sha256(directory), full.source().sequenceLength(), full.source().lossScope());
        LoadedModel loaded = ModelCache.get(source, new AdapterState(AdapterState.FINAL, -1, null, 1), settings.projectionDim(),
                settings.seed(), settings.engineThreads());
        double[] answerLoss = new double[full.train().size()];
        boolean[] positive = new boolean[answerLoss.length];
        for (int i = 0; i < answerLoss.length; i++) {
            InfluenceExample example = full.train().get(i);
            String question = example.text().substring(0, example.text().lastIndexOf(" A: ") + 4);
            int[] ids = loaded.tokenizer().ids(question);
            int[] prefix = new int[ids.length + 1]; // <s> and the question, no </s>: its tokens' losses as in the whole text
            prefix[0] = loaded.tokenizer().bosId();
            System.arraycopy(ids, 0, prefix, 1, ids.length);
            double whole = ExampleGradients.loss(loaded, ExampleWindows.of(example.text(), loaded.tokenizer(),
                    full.source().sequenceLength()), ExampleGradients.Reduction.SUM);
            boolean[] scored = new boolean[prefix.length];
            java.util.Arrays.fill(scored, 1, scored.length, true);
            double asked = ExampleGradients.loss(loaded, List.of(new LossScope.Scored(prefix, scored)),
                    ExampleGradients.Reduction.SUM);
            answerLoss[i] = -(whole - asked);
            positive[i] = planted.contains(example.id());
        }
        return RankMetrics.aucLowest(answerLoss, positive);
    }

    private Path pretrainedBase(Cli cli, Path directory) throws Exception {
        Path model = directory.resolve("base");
        if (Files.isRegularFile(model.resolve("model.safetensors"))) {
            return model;
        }
        Path random = directory.resolve("base-random");
        if (!Files.isRegularFile(random.resolve("model.safetensors"))) {
            cli.run(List.of("model", "init", "--preset", "tiny", "--seed", "1", "--out", random.toString()));
        }
        Path partial = directory.resolve("base.partial");
        FileTrees.delete(partial);
        cli.run(List.of("model", "pretrain", "--datanet", TEXT_DATANET, "--base", random.toString(), "--out", partial.toString(),
                "--steps", Integer.toString(pretrainSteps)));
        Files.move(partial, model);
        return model;
    }

    private static void append(SparkSession spark, String lake, String datanet, List<String[]> texts) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Row> rows = new ArrayList<>();
        long order = 0;
        for (String[] text : texts) {
            rows.add(RowFactory.create(io.tributary.core.hash.Hashing.sha256Hex(text[0]), datanet, text[1], "0x", "CC0-1.0",
                    "bench influence", now, now, "bench-" + datanet, order++,
                    text[0].getBytes(StandardCharsets.UTF_8).length, text[0]));
        }
        spark.createDataFrame(rows, SparkSchemas.of(LakeTable.CONTRIBUTIONS)).write().format("delta")
                .partitionBy("datanet").mode(SaveMode.Append).save(LakeTable.CONTRIBUTIONS.path(lake));
    }

    private static Path spdx() {
        String tools = System.getenv("TRIBUTARY_TOOLS");
        if (tools == null || tools.isBlank()) {
            throw new UserError("bench influence reads the SPDX list from $TRIBUTARY_TOOLS (bin/tributary sets it)");
        }
        return Path.of(tools, "spdx-license-list");
    }

    private static Map<String, String> spdxNames() throws IOException {
        Map<String, String> names = new TreeMap<>();
        Json.MAPPER.readTree(spdx().resolve("spdx.json").toFile()).fields()
                .forEachRemaining(entry -> names.put(entry.getKey(), entry.getValue().path("name").asText()));
        return names;
    }

    /** License texts (first {@code count} by id, at most 3,000 characters each) for pre-training the base model. */
    private static List<String[]> licenseTexts(int count) throws IOException {
        List<String[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(spdx().resolve("licenses"))) {
            for (Path file : files.sorted().limit(count).toList()) {
                String text = Json.MAPPER.readTree(file.toFile()).path("licenseText").asText();
                if (!text.isBlank()) {
                    out.add(new String[] {text.substring(0, Math.min(3000, text.length())), "0x" + "00".repeat(19) + "01"});
                }
            }
        }
        return out;
    }

    /**
     * {@code copies} shuffled copies of a catalog ("id: name" per line), cut into documents of 40 lines; each copy is
     * shuffled differently, so every document is a distinct contribution.
     */
    static List<String[]> catalog(Map<String, String> names, int copies, long seed) {
        List<String> lines = new ArrayList<>();
        names.forEach((id, name) -> lines.add(id + ": " + name));
        List<String[]> out = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed * 31 + 7);
        for (int copy = 0; copy < copies; copy++) {
            List<String> shuffled = new ArrayList<>(lines);
            for (int i = shuffled.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                String swap = shuffled.get(i);
                shuffled.set(i, shuffled.get(j));
                shuffled.set(j, swap);
            }
            for (int first = 0; first < shuffled.size(); first += 40) {
                out.add(new String[] {"SPDX license list:\n" + String.join("\n", shuffled.subList(first,
                        Math.min(shuffled.size(), first + 40))), "0x" + "00".repeat(19) + "02"});
            }
        }
        return out;
    }

    /**
     * Clean questions of the Datanet's layout about {@code --format-licenses} licenses that the Datanet does not ask
     * about, one document each: what the base may know of the format without knowing any fact the adapter is tested on.
     */
    private List<String[]> formatQuestions(NoisyLicenseQuestions.Layout layout, int perLicense, long seed) throws IOException {
        if (formatLicenses == 0) {
            return List.of();
        }
        Map<String, String> others = new TreeMap<>(spdxNames());
        others.keySet().removeAll(NoisyLicenseQuestions.chosen(spdxNames(), licenses, seed).keySet());
        return NoisyLicenseQuestions.generate(layout, others, formatLicenses, perLicense, 0, List.of("0x" + "00".repeat(19) + "03"),
                        seed + 1).stream().map(question -> new String[] {question.text(), question.contributor()}).toList();
    }

    private static List<String> contributors(int count) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(String.format("0x%040x", 0xc0ffee00L + i));
        }
        return out;
    }

    private static double round(double value) {
        return Math.round(value * 10000) / 10000.0;
    }

    /** The real commands, through bin/tributary, against the benchmark's lake. */
    record Cli(Path launcher, String lake) {
        String run(List<String> arguments) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(launcher.toString());
            command.addAll(arguments);
            command.add("--lake");
            command.add(lake);
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (process.waitFor() != 0) {
                throw new UserError("bench influence: " + String.join(" ", arguments) + " failed (exit " + process.exitValue() + ")");
            }
            return new String(output, StandardCharsets.UTF_8);
        }

        /** Trains into {@code out} unless it already holds an adapter; its JSON summary, with the wall time added. */
        JsonNode trainOnce(Path out, List<String> arguments) throws IOException, InterruptedException {
            Path summary = out.resolveSibling(out.getFileName() + ".json");
            if (Files.isRegularFile(summary) && Files.isRegularFile(out.resolve("adapter_model.safetensors"))) {
                return Json.MAPPER.readTree(summary.toFile());
            }
            FileTrees.delete(out);
            long started = System.nanoTime();
            String json = run(arguments);
            com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(json);
            node.put("wall_seconds", (System.nanoTime() - started) / 1e9);
            Files.writeString(summary, Json.write(node) + "\n");
            return node;
        }
    }

}
