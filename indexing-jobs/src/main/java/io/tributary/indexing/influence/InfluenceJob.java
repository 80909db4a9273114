package io.tributary.indexing.influence;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.tributary.core.cli.Progress;
import io.tributary.core.hash.Hashing;
import io.tributary.model.tokenizer.LossScope;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.spark.SparkSchemas;
import io.tributary.indexing.index.LakeFiles;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The influence job: projected LoRA gradients of an adapter's training contributions and queries (computed
 * once, kept as Arrow files), one of the three approximations over them, and the scores appended to the
 * {@code influence} table with their per-contributor sums in {@code influence_contributors}.
 */
public final class InfluenceJob {
    private final SparkSession spark;
    private final String lakeRoot;
    private final LakeFiles files;
    private final InfluenceSettings settings;

    public InfluenceJob(SparkSession spark, String lakeRoot, LakeFiles files, InfluenceSettings settings) {
        this.spark = spark;
        this.lakeRoot = lakeRoot;
        this.files = files;
        this.settings = settings;
    }

    /** One contribution's result. */
    public record Scored(String contributionId, String contributor, double score, int rank) {}

    /** One contributor's sum and count. */
    public record ContributorTotal(String contributor, double scoreSum, int contributions) {}

    /** What a run computed, and what it cost. */
    public record Result(String runId, String adapterId, String datanet, long datanetVersion, InfluenceMethod method,
                         GradientNormalization normalization, InfluenceEnsemble ensemble, List<String> members,
                         QuerySet querySet, int trainExamples, int queries, List<Scored> scored,
                         List<ContributorTotal> contributors, ScoreMatrix matrix, List<GradientSet> gradientSets,
                         double gradientSeconds, double scoringSeconds, int rejectedLogLines) {

        /**
         * The {@code method} column: the method, with {@code -unit} for unit-normalized gradients, then
         * {@code -checkpoints} or {@code -ensemble} for an ensemble.
         */
        public String methodLabel() {
            return ensemble.methodLabel(normalization.methodLabel(method));
        }

        /** Examples per second of the gradient passes this run computed (reused sets excluded); NaN when all were reused. */
        public double examplesPerSecond() {
            long examples = gradientSets.stream().filter(set -> !set.reused()).mapToLong(GradientSet::examples).sum();
            return gradientSeconds > 0 ? examples / gradientSeconds : Double.NaN;
        }
    }

    public Result run(String adapterId, InfluenceMethod method, QuerySet querySet) {
        return run(adapterId, method, querySet, GradientNormalization.NONE);
    }

    public Result run(String adapterId, InfluenceMethod method, QuerySet querySet, GradientNormalization normalization) {
        return run(adapterId, method, querySet, normalization, InfluenceEnsemble.SINGLE);
    }

    /** As {@link #run(String, InfluenceMethod, QuerySet, GradientNormalization)}, the scores averaged over {@code ensemble}. */
    public Result run(String adapterId, InfluenceMethod method, QuerySet querySet, GradientNormalization normalization,
                      InfluenceEnsemble ensemble) {
        if (ensemble.kind() == InfluenceEnsemble.Kind.CHECKPOINTS && method == InfluenceMethod.TRACIN) {
            throw new InfluenceException("tracin already sums over the training checkpoints; --ensemble checkpoints is for "
                    + "trak and datainf");
        }
        long started = System.nanoTime();
        AdapterInputs inputs = new AdapterInputs(spark, lakeRoot, files);
        AdapterInputs.Adapter adapter = inputs.read(adapterId);
        Progress.step(String.format("influence: adapter %s and its %d contributions read in %.1f s", adapterId.substring(0, 12),
                adapter.train().size() + adapter.eval().size(), (System.nanoTime() - started) / 1e9));
        if (adapter.train().isEmpty()) {
            throw new InfluenceException("adapter " + adapterId + " records no training contributions");
        }
        List<InfluenceExample> queries;
        int rejected = 0;
        switch (querySet.kind()) {
            case EVAL -> {
                queries = adapter.eval();
                if (queries.isEmpty()) {
                    throw new InfluenceException("adapter " + adapterId + " has no eval split (trained with eval-fraction 0); "
                            + "use --queries log or datanet:ID");
                }
            }
            case LOG -> {
                AdapterInputs.LogQueries log = inputs.logQueries(adapterId, settings.maxLogQueries());
                queries = log.queries();
                rejected = log.rejectedLines();
                if (queries.isEmpty()) {
                    throw new InfluenceException("the inference log at " + lakeRoot + " has no completion of adapter " + adapterId
                            + " (" + log.rejectedLines() + " rejected lines, " + log.otherAdapters() + " of other adapters)");
                }
            }
            case DATANET -> queries = inputs.datanetQueries(querySet.datanet(), adapter);
            case SELF -> queries = List.of();
            default -> throw new IllegalStateException("query set " + querySet);
        }
        List<AdapterInputs.Adapter> others = new ArrayList<>();
        for (String member : ensemble.members()) {
            others.add(checkMember(adapter, inputs.read(member)));
        }
        return score(adapter, others, queries, method, querySet, normalization, ensemble, rejected);
    }

    /**
     * Refuses an ensemble member that is not a model of the same training: it must be another adapter, trained on the
     * same contributions of the same Datanet version, from the same base model, with the same loss scope and sequence
     * length; otherwise averaging its scores would mix the influence of different trainings.
     */
    static AdapterInputs.Adapter checkMember(AdapterInputs.Adapter adapter, AdapterInputs.Adapter member) {
        String reason = null;
        if (member.adapterId().equals(adapter.adapterId())) {
            reason = "it is the scored adapter itself (list the other members only)";
        } else if (!member.datanet().equals(adapter.datanet()) || member.datanetVersion() != adapter.datanetVersion()) {
            reason = "it was trained on Datanet " + member.datanet() + " version " + member.datanetVersion() + ", not "
                    + adapter.datanet() + " version " + adapter.datanetVersion();
        } else if (!trainIds(member).equals(trainIds(adapter))) {
            java.util.Set<String> extra = new java.util.TreeSet<>(trainIds(member));
            extra.removeAll(trainIds(adapter));
            java.util.Set<String> missing = new java.util.TreeSet<>(trainIds(adapter));
            missing.removeAll(trainIds(member));
            reason = "its training contributions differ (" + extra.size() + " not among the scored adapter's, "
                    + missing.size() + " of the scored adapter's missing)";
        } else if (!member.source().baseSha256().equals(adapter.source().baseSha256())) {
            reason = "its base model differs (sha256 " + member.source().baseSha256() + ", not " + adapter.source().baseSha256() + ")";
        } else if (!member.source().lossScope().equals(adapter.source().lossScope())) {
            reason = "its loss scope differs (loss_after '" + member.source().lossScope().marker() + "', not '"
                    + adapter.source().lossScope().marker() + "')";
        } else if (member.source().sequenceLength() != adapter.source().sequenceLength()) {
            reason = "its sequence length differs (" + member.source().sequenceLength() + ", not "
                    + adapter.source().sequenceLength() + ")";
        }
        if (reason != null) {
            throw new InfluenceException("ensemble member " + member.adapterId() + " cannot be averaged with adapter "
                    + adapter.adapterId() + ": " + reason);
        }
        return member;
    }

    private static java.util.Set<String> trainIds(AdapterInputs.Adapter adapter) {
        return new java.util.TreeSet<>(adapter.train().stream().map(InfluenceExample::id).toList());
    }

    /** One model of a run: an adapter and the states of it that its scores are computed from. */
    private record Member(AdapterInputs.Adapter adapter, List<AdapterState> states, String label) {}

    /** Scores {@code adapter}'s training contributions against {@code queries} and records the run. */
    Result score(AdapterInputs.Adapter adapter, List<InfluenceExample> queries, InfluenceMethod method, QuerySet querySet,
                 GradientNormalization normalization, int rejectedLogLines) {
        return score(adapter, List.of(), queries, method, querySet, normalization, InfluenceEnsemble.SINGLE, rejectedLogLines);
    }

    /**
     * Scores {@code adapter}'s training contributions against {@code queries} with each model of the ensemble (the
     * adapter alone; each of its training states; or it and {@code others}, checked members), averages the score
     * matrices element-wise, and records the run under {@code adapter}.
     */
    Result score(AdapterInputs.Adapter adapter, List<AdapterInputs.Adapter> others, List<InfluenceExample> queries,
                 InfluenceMethod method, QuerySet querySet, GradientNormalization normalization, InfluenceEnsemble ensemble,
                 int rejectedLogLines) {
        GradientPass pass = new GradientPass(spark, files, settings);
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        InfluenceScorer scorer = new InfluenceScorer(context);
        List<GradientSet> sets = new ArrayList<>();
        List<ScoreMatrix> matrices = new ArrayList<>();
        double scoringSeconds = 0;
        List<Member> members = members(adapter, others, method, ensemble);
        for (Member member : members) {
            // A member's own eval split is not the queries: its query gradients are stored under the queries' ids.
            String queryRole = member.adapter() == adapter ? queryRole(querySet, queries)
                    : querySet.kind() == QuerySet.Kind.SELF ? null : hashedRole(querySet.kind(), queries);
            List<InfluenceScorer.StateGradients> gradients = gradients(pass, context, member, queries, querySet, queryRole,
                    normalization, sets);
            long started = System.nanoTime();
            matrices.add(scoreMatrix(scorer, method, querySet, gradients, sets.get(sets.size() - 1).layout()));
            scoringSeconds += (System.nanoTime() - started) / 1e9;
            gradients.forEach(state -> state.train().unpersist());
        }
        ScoreMatrix matrix = ScoreMatrix.mean(matrices);
        double gradientSeconds = sets.stream().filter(set -> !set.reused()).mapToDouble(GradientSet::seconds).sum();
        List<String> memberLabels = members.stream().map(Member::label).toList();
        String runId = runId(adapter.adapterId(), method, querySet, normalization, queries, ensemble);
        List<Scored> scored = rank(matrix, adapter.train());
        List<ContributorTotal> contributors = contributors(scored);
        Timestamp now = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS));
        long writing = System.nanoTime();
        String methodLabel = ensemble.methodLabel(normalization.methodLabel(method));
        record(runId, adapter, methodLabel, querySet, scored, contributors, now);
        Progress.step(String.format("influence: %s on %s queries scored in %.1f s (%d model%s), %d rows checked and recorded in %.1f s",
                methodLabel, querySet.label(), scoringSeconds, members.size(), members.size() == 1 ? "" : "s", scored.size(),
                (System.nanoTime() - writing) / 1e9));
        return new Result(runId, adapter.adapterId(), adapter.datanet(), adapter.datanetVersion(), method, normalization,
                ensemble, memberLabels, querySet, adapter.train().size(),
                querySet.kind() == QuerySet.Kind.SELF ? adapter.train().size() : queries.size(),
                scored, contributors, matrix, sets, gradientSeconds, scoringSeconds, rejectedLogLines);
    }

    /**
     * The models a run averages over, each with the states its method reads: TracIn every training state, TRAK and
     * DataInf the final adapter; a checkpoint ensemble is one model per training state of the adapter.
     */
    private static List<Member> members(AdapterInputs.Adapter adapter, List<AdapterInputs.Adapter> others,
                                        InfluenceMethod method, InfluenceEnsemble ensemble) {
        List<Member> out = new ArrayList<>();
        if (ensemble.kind() == InfluenceEnsemble.Kind.CHECKPOINTS) {
            for (AdapterState state : AdapterInputs.trainingStates(adapter.source(), adapter.adapterId())) {
                out.add(new Member(adapter, List.of(state), state.name()));
            }
            return out;
        }
        List<AdapterInputs.Adapter> adapters = new ArrayList<>();
        adapters.add(adapter);
        adapters.addAll(others);
        for (AdapterInputs.Adapter model : adapters) {
            List<AdapterState> states = method == InfluenceMethod.TRACIN
                    ? AdapterInputs.trainingStates(model.source(), model.adapterId())
                    : List.of(new AdapterState(AdapterState.FINAL, -1, null, 1.0));
            out.add(new Member(model, states, model.adapterId()));
        }
        return out;
    }

    /**
     * The training and query gradients of one model at each of its states (computed, or reused from the store under
     * {@code <lake>/influence/<its adapter>/...}); every gradient set is appended to {@code sets}.
     */
    private List<InfluenceScorer.StateGradients> gradients(GradientPass pass, JavaSparkContext context, Member member,
                                                           List<InfluenceExample> queries, QuerySet querySet,
                                                           String queryRole, GradientNormalization normalization,
                                                           List<GradientSet> sets) {
        AdapterInputs.Adapter adapter = member.adapter();
        List<InfluenceScorer.StateGradients> gradients = new ArrayList<>();
        for (AdapterState state : member.states()) {
            String base = directory(adapter.adapterId()) + "/" + state.name();
            Progress.step("influence: gradients of " + adapter.train().size() + " training examples and " + queries.size()
                    + " queries at " + state.name() + " of " + adapter.adapterId().substring(0, 12));
            GradientSet train = pass.run(base + "/train", adapter.source(), state, "train", adapter.train(),
                    ExampleGradients.Reduction.SUM, adapter.source().lossScope());
            sets.add(train);
            List<ProjectedGradient> queryGradients = List.of();
            if (queryRole != null) {
                GradientSet query = pass.run(base + "/" + queryRole, adapter.source(), state, queryRole, queries,
                        ExampleGradients.Reduction.MEAN, queryScope(querySet, adapter.source()));
                sets.add(query);
                queryGradients = query.readAll(files);
            }
            JavaRDD<ProjectedGradient> trainRdd = train.rdd(context, files);
            if (normalization == GradientNormalization.UNIT) {
                trainRdd = trainRdd.map(ProjectedGradient::unit);
                queryGradients = queryGradients.stream().map(ProjectedGradient::unit).toList();
            }
            gradients.add(new InfluenceScorer.StateGradients(trainRdd.cache(), queryGradients, state.learningRateSum()));
        }
        return gradients;
    }

    /**
     * The tokens a query's loss covers: the adapter's loss scope for contributions (eval, another Datanet), which are
     * framed as its training contributions were; a logged completion is all model output, so the whole of it.
     */
    static LossScope queryScope(QuerySet querySet, ModelSource source) {
        return querySet.kind() == QuerySet.Kind.LOG ? LossScope.WHOLE_TEXT : source.lossScope();
    }

    /** The directory name of a query set's gradients; null for self-influence, which uses the training gradients. */
    private static String queryRole(QuerySet querySet, List<InfluenceExample> queries) {
        return switch (querySet.kind()) {
            case EVAL -> "eval";
            case SELF -> null;
            case LOG, DATANET -> hashedRole(querySet.kind(), queries);
        };
    }

    /** {@code <kind>-<hash of the query ids>}: a query set's directory wherever the name alone does not say which. */
    private static String hashedRole(QuerySet.Kind kind, List<InfluenceExample> queries) {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "-"
                + Hashing.sha256Hex(String.join("\n", queries.stream().map(InfluenceExample::id).toList())).substring(0, 16);
    }

    private ScoreMatrix scoreMatrix(InfluenceScorer scorer, InfluenceMethod method, QuerySet querySet,
                                           List<InfluenceScorer.StateGradients> gradients, GradientFiles.Layout layout) {
        InfluenceScorer.StateGradients last = gradients.get(gradients.size() - 1);
        int blocks = layout.modules().size();
        if (querySet.kind() == QuerySet.Kind.SELF) {
            return switch (method) {
                case TRACIN -> scorer.tracInSelf(gradients);
                case TRAK -> scorer.trakSelf(last.train(), layout.featureSize(), settings.trakDamping());
                case DATAINF -> scorer.dataInfSelf(last.train(), layout.featureSize(), blocks, settings.dataInfDamping());
            };
        }
        return switch (method) {
            case TRACIN -> scorer.tracIn(gradients);
            case TRAK -> scorer.trak(last.train(), last.queries(), settings.trakDamping());
            case DATAINF -> scorer.dataInf(last.train(), last.queries(), blocks, settings.dataInfDamping());
        };
    }

    /** Where the adapter's gradients live: {@code <lake>/influence/<adapter>/<projection>}. */
    public String directory(String adapterId) {
        return lakeRoot.replaceAll("/$", "") + "/influence/" + AdapterInputs.checkAdapterId(adapterId) + "/"
                + settings.projectionKey();
    }

    /** Deterministic: the same adapter, method, queries and settings give the same run id (a rerun adds no rows). */
    String runId(String adapterId, InfluenceMethod method, QuerySet querySet, GradientNormalization normalization,
                 List<InfluenceExample> queries, InfluenceEnsemble ensemble) {
        double damping = method == InfluenceMethod.TRAK ? settings.trakDamping()
                : method == InfluenceMethod.DATAINF ? settings.dataInfDamping() : 0;
        List<String> parts = new ArrayList<>(List.of("tributary-influence", adapterId,
                ensemble.methodLabel(normalization.methodLabel(method)), querySet.label(), settings.projectionKey(),
                Double.toString(damping), String.join(",", queries.stream().map(InfluenceExample::id).toList())));
        if (ensemble.kind() == InfluenceEnsemble.Kind.ADAPTERS) { // a single adapter's run ids stay as they were
            parts.add(String.join(",", ensemble.members()));
        }
        return Hashing.sha256Hex(String.join("\u0000", parts));
    }

    /** Rank 1 is the most helpful (highest mean score); ties go to the smaller contribution id. */
    static List<Scored> rank(ScoreMatrix matrix, List<InfluenceExample> train) {
        Map<String, String> contributors = new HashMap<>();
        train.forEach(example -> contributors.put(example.id(), example.contributor()));
        List<Scored> unranked = new ArrayList<>();
        for (int i = 0; i < matrix.size(); i++) {
            String id = matrix.trainIds().get(i);
            unranked.add(new Scored(id, contributors.get(id), matrix.meanScore(i), 0));
        }
        unranked.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::contributionId));
        List<Scored> ranked = new ArrayList<>();
        for (int i = 0; i < unranked.size(); i++) {
            Scored scored = unranked.get(i);
            ranked.add(new Scored(scored.contributionId(), scored.contributor(), scored.score(), i + 1));
        }
        return ranked;
    }

    static List<ContributorTotal> contributors(List<Scored> scored) {
        Map<String, double[]> totals = new TreeMap<>();
        for (Scored row : scored) {
            double[] total = totals.computeIfAbsent(row.contributor(), key -> new double[2]);
            total[0] += row.score();
            total[1] += 1;
        }
        List<ContributorTotal> out = new ArrayList<>();
        totals.forEach((contributor, total) -> out.add(new ContributorTotal(contributor, total[0], (int) total[1])));
        out.sort(Comparator.comparingDouble(ContributorTotal::scoreSum).reversed().thenComparing(ContributorTotal::contributor));
        return out;
    }

    private void record(String runId, AdapterInputs.Adapter adapter, String method, QuerySet querySet,
                        List<Scored> scored, List<ContributorTotal> contributors, Timestamp now) {
        List<Row> rows = new ArrayList<>();
        for (Scored row : scored) {
            rows.add(RowFactory.create(runId, adapter.adapterId(), adapter.datanet(), adapter.datanetVersion(),
                    row.contributionId(), row.contributor(), method, querySet.label(), row.score(), row.rank(), now));
        }
        if (!write(LakeTable.INFLUENCE, rows, runId)) {
            Progress.step("influence: run " + runId.substring(0, 12) + " is already recorded; nothing appended");
        }
        List<Row> totals = new ArrayList<>();
        for (ContributorTotal total : contributors) {
            totals.add(RowFactory.create(runId, adapter.adapterId(), adapter.datanet(), adapter.datanetVersion(),
                    total.contributor(), method, querySet.label(), total.scoreSum(), total.contributions(), now));
        }
        write(LakeTable.INFLUENCE_CONTRIBUTORS, totals, runId);
    }

    /**
     * Appends a run's rows unless the table already holds that run: a run id is a hash of everything that decides
     * the scores (adapter content, method, queries, settings), and the scores are reproducible bit for bit, so a
     * rerun would write the same rows again.
     */
    private boolean write(LakeTable table, List<Row> rows, String runId) {
        String path = table.path(lakeRoot);
        if (DeltaTable.isDeltaTable(spark, path)
                && !spark.read().format("delta").load(path).where(col("run_id").equalTo(runId)).limit(1).isEmpty()) {
            return false;
        }
        spark.createDataFrame(rows, SparkSchemas.of(table)).write().format("delta").mode(SaveMode.Append).save(path);
        return true;
    }

    /** Top and bottom {@code count} contributions, for printing. */
    public static Map<String, List<Scored>> extremes(List<Scored> scored, int count) {
        Map<String, List<Scored>> out = new LinkedHashMap<>();
        out.put("top", scored.subList(0, Math.min(count, scored.size())));
        List<Scored> bottom = new ArrayList<>(scored.subList(Math.max(0, scored.size() - count), scored.size()));
        java.util.Collections.reverse(bottom);
        out.put("bottom", bottom);
        return out;
    }
}
