package io.tributary.attribution.trace;

import io.delta.kernel.engine.Engine;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.money.FeeSplitter.Prior;
import io.tributary.core.money.Rational;
import io.tributary.core.money.RewardPolicy;
import io.tributary.core.money.SplitPriors;
import io.tributary.lake.kernel.KernelTable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the stream needs from the lake, read through Delta Kernel and kept in memory: adapters (Datanet, version,
 * creator, training contributions), each Datanet's reward policy, and each adapter's priors. A table is re-read
 * at most every {@code refreshMs} and only when its Delta version changed, never per record.
 */
public final class AttributionCatalog {
    /** An adapter as the stream sees it. */
    public record Adapter(String adapterId, String datanet, long datanetVersion, Optional<String> creator,
                          List<String> trainContributionIds) {}

    private final Engine engine;
    private final String lakeRoot;
    private final long refreshMs;
    private long lastCheck = Long.MIN_VALUE;
    private final Map<LakeTable, Long> versions = new HashMap<>();
    private Map<String, Adapter> adapters = Map.of();
    private Map<String, RewardPolicy> policies = Map.of();
    /** adapter -> positive influence priors of its latest run. */
    private Map<String, List<Prior>> influence = Map.of();
    /** The influence job's {@code query_set} label of self-influence runs (indexing-jobs' {@code QuerySet}). */
    static final String SELF_INFLUENCE = "self";
    /** adapter -> training-token priors (computed on first use; contributions are immutable). */
    private final Map<String, List<Prior>> trainingShares = new HashMap<>();
    /** adapter -> its priors prepared for the splitter (made again when {@link #priors} returns another list). */
    private final Map<String, Prepared> prepared = new HashMap<>();

    public AttributionCatalog(Engine engine, String lakeRoot, long refreshMs) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.lakeRoot = lakeRoot;
        this.refreshMs = refreshMs;
    }

    public Optional<Adapter> adapter(String adapterId) {
        refresh();
        Adapter adapter = adapters.get(adapterId);
        if (adapter == null && System.currentTimeMillis() - lastCheck > 1000) {
            // An adapter registered since the last refresh: look again now rather than reject a paid inference.
            forceRefresh();
            adapter = adapters.get(adapterId);
        }
        return Optional.ofNullable(adapter);
    }

    public Optional<RewardPolicy> policy(String datanet) {
        refresh();
        return Optional.ofNullable(policies.get(datanet));
    }

    /** The adapter's priors: positive influence scores of its latest run, else its training contributions' token shares. */
    public List<Prior> priors(Adapter adapter) {
        refresh();
        List<Prior> scores = influence.get(adapter.adapterId());
        if (scores != null && !scores.isEmpty()) {
            return scores;
        }
        return trainingShares.computeIfAbsent(adapter.adapterId(), id -> readTrainingShares(adapter));
    }

    /** The adapter's priors prepared for the splitter, once per adapter and version of the influence table. */
    public SplitPriors splitPriors(Adapter adapter) {
        List<Prior> priors = priors(adapter);
        Prepared known = prepared.get(adapter.adapterId());
        if (known == null || known.from() != priors) {
            known = new Prepared(priors, SplitPriors.of(priors));
            prepared.put(adapter.adapterId(), known);
        }
        return known.priors();
    }

    /** Priors prepared from a list that {@link #priors} returned (the same instance until a refresh replaces it). */
    private record Prepared(List<Prior> from, SplitPriors priors) {}

    private void refresh() {
        long now = System.currentTimeMillis();
        if (lastCheck != Long.MIN_VALUE && now - lastCheck < refreshMs) {
            return;
        }
        forceRefresh();
    }

    private synchronized void forceRefresh() {
        lastCheck = System.currentTimeMillis();
        if (changed(LakeTable.ADAPTERS)) {
            adapters = readAdapters();
        }
        if (changed(LakeTable.DATANETS)) {
            policies = readPolicies();
        }
        if (changed(LakeTable.INFLUENCE)) {
            influence = readInfluence();
        }
    }

    private boolean changed(LakeTable table) {
        KernelTable kernel = KernelTable.reading(engine, lakeRoot, table);
        long version = kernel.exists() ? kernel.latestVersion() : -1;
        Long previous = versions.put(table, version);
        return previous == null || previous != version;
    }

    private List<Map<String, Object>> rows(LakeTable table, List<String> columns) {
        KernelTable kernel = KernelTable.reading(engine, lakeRoot, table);
        return kernel.exists() ? kernel.read(OptionalLong.empty(), columns).rows() : List.of();
    }

    private Map<String, Adapter> readAdapters() {
        Map<String, Adapter> read = new HashMap<>();
        for (Map<String, Object> row : rows(LakeTable.ADAPTERS,
                List.of("adapter_id", "datanet", "datanet_version", "creator", "train_contribution_ids"))) {
            String datanet = (String) row.get("datanet");
            Long version = (Long) row.get("datanet_version");
            if (datanet == null || version == null) {
                continue; // an adapter not trained from a Datanet cannot be attributed; its records are rejected
            }
            String creator = (String) row.get("creator");
            String train = (String) row.get("train_contribution_ids");
            List<String> ids = train == null ? List.of()
                    : Arrays.stream(train.split(",")).map(String::trim).filter(id -> !id.isEmpty()).sorted().toList();
            read.put((String) row.get("adapter_id"), new Adapter((String) row.get("adapter_id"), datanet, version,
                    creator == null || creator.isBlank() ? Optional.empty() : Optional.of(creator), ids));
        }
        return read;
    }

    private Map<String, RewardPolicy> readPolicies() {
        Map<String, RewardPolicy> read = new HashMap<>();
        Map<String, Instant> when = new HashMap<>();
        for (Map<String, Object> row : rows(LakeTable.DATANETS,
                List.of("datanet", "protocol_bps", "creator_bps", "contributors_bps", "created_at"))) {
            String datanet = (String) row.get("datanet");
            Instant created = (Instant) row.get("created_at");
            if (when.containsKey(datanet) && !created.isAfter(when.get(datanet))) {
                continue;
            }
            when.put(datanet, created);
            read.put(datanet, new RewardPolicy((Integer) row.get("protocol_bps"), (Integer) row.get("creator_bps"),
                    (Integer) row.get("contributors_bps")));
        }
        return read;
    }

    /**
     * Per adapter, the positive scores of its most recent run (by computed_at, any method) over real queries, in
     * contribution order. Self-influence runs are skipped: a large self-influence marks an example the adapter found
     * hard to fit (often a mislabeled one), not one that helped answer anything, so it must never become a payout.
     */
    private Map<String, List<Prior>> readInfluence() {
        List<Map<String, Object>> rows = rows(LakeTable.INFLUENCE,
                List.of("run_id", "adapter_id", "contribution_id", "contributor", "score", "computed_at", "query_set"));
        rows = rows.stream().filter(row -> !SELF_INFLUENCE.equals(row.get("query_set"))).toList();
        Map<String, String> latestRun = new HashMap<>();
        Map<String, Instant> latestAt = new HashMap<>();
        for (Map<String, Object> row : rows) {
            String adapter = (String) row.get("adapter_id");
            Instant at = (Instant) row.get("computed_at");
            String run = (String) row.get("run_id");
            Instant best = latestAt.get(adapter);
            if (best == null || at.isAfter(best) || (at.equals(best) && run.compareTo(latestRun.get(adapter)) > 0)) {
                latestAt.put(adapter, at);
                latestRun.put(adapter, run);
            }
        }
        Map<String, TreeMap<String, Prior>> byAdapter = new HashMap<>();
        for (Map<String, Object> row : rows) {
            String adapter = (String) row.get("adapter_id");
            double score = (Double) row.get("score");
            if (!row.get("run_id").equals(latestRun.get(adapter)) || !(score > 0) || Double.isInfinite(score)) {
                continue;
            }
            // The double's exact binary value as a rational: no rounding enters the money.
            BigDecimal exact = new BigDecimal(score);
            Rational weight = new Rational(exact.unscaledValue(), BigInteger.TEN.pow(Math.max(0, exact.scale())))
                    .times(BigInteger.TEN.pow(Math.max(0, -exact.scale())));
            String contribution = (String) row.get("contribution_id");
            byAdapter.computeIfAbsent(adapter, a -> new TreeMap<>())
                    .put(contribution, new Prior(contribution, (String) row.get("contributor"), weight));
        }
        Map<String, List<Prior>> read = new HashMap<>();
        byAdapter.forEach((adapter, priors) -> read.put(adapter, List.copyOf(priors.values())));
        return read;
    }

    /** Each training contribution weighted by its byte tokens (the index tokenizer's count) at the pinned Datanet. */
    private List<Prior> readTrainingShares(Adapter adapter) {
        if (adapter.trainContributionIds().isEmpty()) {
            return List.of();
        }
        Set<String> wanted = new HashSet<>(adapter.trainContributionIds());
        KernelTable contributions = KernelTable.reading(engine, lakeRoot, LakeTable.CONTRIBUTIONS);
        if (!contributions.exists()) {
            return List.of();
        }
        TreeMap<String, Prior> priors = new TreeMap<>();
        for (Map<String, Object> row : contributions.read(OptionalLong.empty(),
                List.of("contribution_id", "contributor", "text_bytes", "text", "datanet"), "datanet", adapter.datanet()).rows()) {
            String id = (String) row.get("contribution_id");
            if (wanted.contains(id)) {
                Integer bytes = (Integer) row.get("text_bytes");
                long tokens = bytes != null ? bytes : ((String) row.get("text")).getBytes(StandardCharsets.UTF_8).length;
                if (tokens > 0) {
                    priors.put(id, new Prior(id, (String) row.get("contributor"), Rational.of(tokens)));
                }
            }
        }
        return List.copyOf(priors.values());
    }
}
