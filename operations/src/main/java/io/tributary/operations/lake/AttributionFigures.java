package io.tributary.operations.lake;

import io.tributary.core.lake.LakeTable;
import io.tributary.operations.audit.CompletionSpans;
import io.tributary.operations.audit.CompletionSpans.CharacterRange;
import io.tributary.operations.audit.CompletionSpans.Segment;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The dashboard's figures, computed from the stream's and settlement's tables in one place: per Datanet and epoch
 * the fees and who earned them, per adapter the inferences and fees, per contributor the earnings by epoch and the
 * spans that earned them. Contributor earnings are the {@code span} and {@code prior} rows of {@code attributions};
 * fees are the {@code inferences}' {@code fee_wei}; both are exact wei (decimal strings).
 */
public final class AttributionFigures {
    /** The tables whose versions decide whether the figures must be recomputed. */
    public static final List<LakeTable> TABLES = List.of(LakeTable.DATANETS, LakeTable.CONTRIBUTIONS, LakeTable.ADAPTERS,
            LakeTable.INDEX_MANIFEST, LakeTable.INFERENCES, LakeTable.ATTRIBUTIONS, LakeTable.EPOCH_PAYOUTS,
            LakeTable.ATTRIBUTION_EPOCHS, LakeTable.REJECTED_INFERENCES, LakeTable.EPOCHS, LakeTable.PAYOUTS, LakeTable.CLAIMS,
            LakeTable.BATCHES, LakeTable.BATCH_ANCHORS);
    /** The window of the per-adapter inference rate, ending at the newest inference in the lake. */
    public static final Duration RATE_WINDOW = Duration.ofMinutes(5);
    public static final String BASE_MODEL = "(base model)";
    private static final Set<String> CONTRIBUTOR_KINDS = Set.of("span", "prior");
    private static final int SPANS_SHOWN = 100;

    public record AccountWei(String account, String wei) {}

    public record EpochFigures(long epoch, String status, Instant start, Instant end, long inferences, String feesWei,
                               String contributorsWei, String creatorWei, String protocolWei, boolean conserved,
                               List<AccountWei> contributors) {}

    public record DatanetFigures(String datanet, String name, String feesWei, String contributorsWei, List<EpochFigures> epochs) {}

    public record AdapterFigures(String adapterId, String name, String datanet, long inferences, String feesWei,
                                 long inWindow, double perMinute, Instant lastServedAt) {}

    public record EpochWei(long epoch, String status, String wei) {}

    public record ContributorFigures(String account, String totalWei, long spans, List<EpochWei> epochs) {}

    public record EpochSummary(long epoch, String status, Instant start, Instant end, long inferences, String feesWei, String settlementTx) {}

    public record Rejections(long total, Map<String, Long> byReason) {}

    public record Overview(Instant computedAt, Map<String, Long> versions, List<EpochSummary> epochs, List<DatanetFigures> datanets,
                           List<AdapterFigures> adapters, List<ContributorFigures> contributors, Rejections rejections) {}

    /** A span that earned the contributor wei, with its completion cut for highlighting. */
    public record EarnedSpan(String inferenceId, long epoch, String datanet, String contributionId, int spanStart, int spanEnd,
                             String text, String wei, double creditedTokens, List<Segment> segments) {}

    public record ContributorDetail(ContributorFigures figures, List<EarnedSpan> spans, long spansTotal) {}

    private final LakeReader lake;

    public AttributionFigures(LakeReader lake) {
        this.lake = lake;
    }

    public Map<String, Long> versions() {
        Map<String, Long> versions = new LinkedHashMap<>();
        lake.versions(TABLES).forEach((table, version) -> versions.put(table.tableName(), version));
        return versions;
    }

    public Overview overview(Map<String, Long> versions) {
        EpochStates states = new EpochStates(lake);
        List<Map<String, Object>> inferences = lake.rows(LakeTable.INFERENCES);
        List<Map<String, Object>> attributions = lake.rows(LakeTable.ATTRIBUTIONS);
        return new Overview(Instant.now(), versions, epochs(states, inferences), datanets(states, inferences, attributions),
                adapters(inferences), contributors(states, attributions), rejections());
    }

    private List<EpochSummary> epochs(EpochStates states, List<Map<String, Object>> inferences) {
        TreeMap<Long, long[]> counts = new TreeMap<>();
        TreeMap<Long, BigInteger> fees = new TreeMap<>();
        for (Map<String, Object> row : inferences) {
            long epoch = (Long) row.get("epoch");
            counts.computeIfAbsent(epoch, e -> new long[1])[0]++;
            fees.merge(epoch, wei(row.get("fee_wei")), BigInteger::add);
        }
        states.closedEpochs().forEach(epoch -> {
            counts.computeIfAbsent(epoch, e -> new long[1]);
            fees.putIfAbsent(epoch, BigInteger.ZERO);
        });
        List<EpochSummary> epochs = new ArrayList<>();
        counts.descendingMap().forEach((epoch, count) -> epochs.add(new EpochSummary(epoch, states.status(epoch),
                states.closedRow(epoch).map(row -> (Instant) row.get("start")).orElse(null),
                states.closedRow(epoch).map(row -> (Instant) row.get("end")).orElse(null), count[0], fees.get(epoch).toString(), states.settlementRow(epoch).map(row -> (String) row.get("tx")).orElse(null))));
        return epochs;
    }

    private List<DatanetFigures> datanets(EpochStates states, List<Map<String, Object>> inferences, List<Map<String, Object>> attributions) {
        Map<String, String> names = new HashMap<>();
        for (Map<String, Object> row : lake.rows(LakeTable.DATANETS)) {
            names.put((String) row.get("datanet"), (String) row.get("name"));
        }
        // datanet -> epoch -> sums
        Map<String, TreeMap<Long, EpochSums>> sums = new TreeMap<>();
        for (Map<String, Object> row : inferences) {
            EpochSums epoch = sums.computeIfAbsent(datanetKey(row), d -> new TreeMap<>())
                    .computeIfAbsent((Long) row.get("epoch"), e -> new EpochSums());
            epoch.inferences++;
            epoch.fees = epoch.fees.add(wei(row.get("fee_wei")));
        }
        for (Map<String, Object> row : attributions) {
            EpochSums epoch = sums.computeIfAbsent(datanetKey(row), d -> new TreeMap<>())
                    .computeIfAbsent((Long) row.get("epoch"), e -> new EpochSums());
            BigInteger wei = wei(row.get("wei"));
            String kind = (String) row.get("kind");
            if (CONTRIBUTOR_KINDS.contains(kind)) {
                epoch.contributors = epoch.contributors.add(wei);
                epoch.byAccount.merge((String) row.get("account"), wei, BigInteger::add);
            } else if ("creator".equals(kind)) {
                epoch.creator = epoch.creator.add(wei);
            } else {
                epoch.protocol = epoch.protocol.add(wei);
            }
        }
        List<DatanetFigures> datanets = new ArrayList<>();
        sums.forEach((datanet, epochs) -> {
            List<EpochFigures> figures = new ArrayList<>();
            BigInteger fees = BigInteger.ZERO;
            BigInteger contributors = BigInteger.ZERO;
            for (Map.Entry<Long, EpochSums> entry : epochs.descendingMap().entrySet()) {
                EpochSums epoch = entry.getValue();
                Map<String, Object> closed = states.closedRow(entry.getKey()).orElse(Map.of());
                fees = fees.add(epoch.fees);
                contributors = contributors.add(epoch.contributors);
                figures.add(new EpochFigures(entry.getKey(), states.status(entry.getKey()), (Instant) closed.get("start"),
                        (Instant) closed.get("end"), epoch.inferences, epoch.fees.toString(), epoch.contributors.toString(),
                        epoch.creator.toString(), epoch.protocol.toString(),
                        epoch.fees.equals(epoch.contributors.add(epoch.creator).add(epoch.protocol)), byWei(epoch.byAccount)));
            }
            datanets.add(new DatanetFigures(datanet, datanet.equals(BASE_MODEL) ? BASE_MODEL : names.getOrDefault(datanet, datanet),
                    fees.toString(), contributors.toString(), figures));
        });
        return datanets;
    }

    private static String datanetKey(Map<String, Object> row) {
        String datanet = (String) row.get("datanet");
        return datanet == null || datanet.isEmpty() ? BASE_MODEL : datanet;
    }

    private List<AdapterFigures> adapters(List<Map<String, Object>> inferences) {
        Map<String, String> names = new HashMap<>();
        for (Map<String, Object> row : lake.rows(LakeTable.ADAPTERS)) {
            names.put((String) row.get("adapter_id"), Optional.ofNullable((String) row.get("name")).orElse(""));
        }
        Instant newest = inferences.stream().map(row -> (Instant) row.get("served_at")).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        Instant windowStart = newest.minus(RATE_WINDOW);
        Map<String, AdapterSums> sums = new TreeMap<>();
        for (Map<String, Object> row : inferences) {
            AdapterSums adapter = sums.computeIfAbsent((String) row.get("adapter_id"), id -> new AdapterSums((String) row.get("datanet")));
            Instant served = (Instant) row.get("served_at");
            adapter.inferences++;
            adapter.fees = adapter.fees.add(wei(row.get("fee_wei")));
            if (served.isAfter(windowStart)) {
                adapter.inWindow++;
            }
            if (adapter.last == null || served.isAfter(adapter.last)) {
                adapter.last = served;
            }
        }
        List<AdapterFigures> adapters = new ArrayList<>();
        sums.forEach((id, adapter) -> adapters.add(new AdapterFigures(id, id.isEmpty() ? BASE_MODEL : names.getOrDefault(id, ""),
                adapter.datanet, adapter.inferences, adapter.fees.toString(), adapter.inWindow,
                adapter.inWindow / (double) RATE_WINDOW.toMinutes(), adapter.last)));
        adapters.sort(Comparator.comparing((AdapterFigures adapter) -> new BigInteger(adapter.feesWei())).reversed()
                .thenComparing(AdapterFigures::adapterId));
        return adapters;
    }

    private List<ContributorFigures> contributors(EpochStates states, List<Map<String, Object>> attributions) {
        Map<String, TreeMap<Long, BigInteger>> earned = new TreeMap<>();
        Map<String, long[]> spans = new HashMap<>();
        for (Map<String, Object> row : attributions) {
            if (CONTRIBUTOR_KINDS.contains((String) row.get("kind"))) {
                String account = (String) row.get("account");
                earned.computeIfAbsent(account, a -> new TreeMap<>()).merge((Long) row.get("epoch"), wei(row.get("wei")), BigInteger::add);
                if ("span".equals(row.get("kind"))) {
                    spans.computeIfAbsent(account, a -> new long[1])[0]++;
                }
            }
        }
        List<ContributorFigures> contributors = new ArrayList<>();
        earned.forEach((account, epochs) -> contributors.add(figures(states, account, epochs, spans.getOrDefault(account, new long[1])[0])));
        contributors.sort(Comparator.comparing((ContributorFigures figures) -> new BigInteger(figures.totalWei())).reversed()
                .thenComparing(ContributorFigures::account));
        return contributors;
    }

    private static ContributorFigures figures(EpochStates states, String account, TreeMap<Long, BigInteger> epochs, long spans) {
        List<EpochWei> list = new ArrayList<>();
        epochs.forEach((epoch, wei) -> list.add(new EpochWei(epoch, states.status(epoch), wei.toString())));
        return new ContributorFigures(account, epochs.values().stream().reduce(BigInteger.ZERO, BigInteger::add).toString(), spans, list);
    }

    /** One contributor's earnings by epoch and the spans that earned them (largest first, at most 100 shown). */
    public ContributorDetail contributor(String account) {
        EpochStates states = new EpochStates(lake);
        TreeMap<Long, BigInteger> epochs = new TreeMap<>();
        List<Map<String, Object>> spanRows = new ArrayList<>();
        for (Map<String, Object> row : lake.rows(LakeTable.ATTRIBUTIONS)) {
            if (account.equals(row.get("account")) && CONTRIBUTOR_KINDS.contains((String) row.get("kind"))) {
                epochs.merge((Long) row.get("epoch"), wei(row.get("wei")), BigInteger::add);
                if ("span".equals(row.get("kind")) && row.get("span_start") != null) {
                    spanRows.add(row);
                }
            }
        }
        spanRows.sort(Comparator.comparing((Map<String, Object> row) -> wei(row.get("wei"))).reversed()
                .thenComparing(row -> (String) row.get("inference_id")).thenComparing(row -> (Integer) row.get("span_start")));
        List<Map<String, Object>> shown = spanRows.subList(0, Math.min(SPANS_SHOWN, spanRows.size()));
        Map<String, Map<String, Object>> records = new HashMap<>();
        Set<String> wanted = new java.util.HashSet<>();
        shown.forEach(row -> wanted.add((String) row.get("inference_id")));
        for (Map<String, Object> row : lake.rows(LakeTable.INFERENCES)) {
            if (wanted.contains((String) row.get("inference_id"))) {
                records.put((String) row.get("inference_id"), row);
            }
        }
        CompletionSpans completionSpans = new CompletionSpans(lake);
        Map<String, String> tokenizers = new HashMap<>();
        List<EarnedSpan> spans = new ArrayList<>();
        for (Map<String, Object> row : shown) {
            String completion = Optional.ofNullable(records.get((String) row.get("inference_id")))
                    .map(record -> (String) record.get("completion")).orElse("");
            String tokenizer = tokenizers.computeIfAbsent((String) row.get("datanet"), completionSpans::tokenizerOf);
            int start = (Integer) row.get("span_start");
            int end = (Integer) row.get("span_end");
            CharacterRange range = completion.isEmpty() ? new CharacterRange(start, end, -1, -1)
                    : CompletionSpans.characters(tokenizer, completion, start, end);
            spans.add(new EarnedSpan((String) row.get("inference_id"), (Long) row.get("epoch"), (String) row.get("datanet"),
                    (String) row.get("contribution_id"), start, end,
                    range.mapped() ? completion.substring(range.charStart(), range.charEnd()) : null, (String) row.get("wei"),
                    ((Number) row.get("credited_tokens")).doubleValue(), CompletionSpans.segments(completion, List.of(range), List.of())));
        }
        return new ContributorDetail(figures(states, account, epochs, spanRows.size()), spans, spanRows.size());
    }

    private Rejections rejections() {
        Map<String, Long> byReason = new TreeMap<>();
        for (Map<String, Object> row : lake.rows(LakeTable.REJECTED_INFERENCES)) {
            byReason.merge((String) row.get("reason"), 1L, Long::sum);
        }
        return new Rejections(byReason.values().stream().mapToLong(Long::longValue).sum(), byReason);
    }

    private static List<AccountWei> byWei(Map<String, BigInteger> byAccount) {
        return byAccount.entrySet().stream()
                .sorted(Map.Entry.<String, BigInteger>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(entry -> new AccountWei(entry.getKey(), entry.getValue().toString()))
                .toList();
    }

    private static BigInteger wei(Object value) {
        return value == null ? BigInteger.ZERO : new BigInteger((String) value);
    }

    private static final class EpochSums {
        long inferences;
        BigInteger fees = BigInteger.ZERO;
        BigInteger contributors = BigInteger.ZERO;
        BigInteger creator = BigInteger.ZERO;
        BigInteger protocol = BigInteger.ZERO;
        final Map<String, BigInteger> byAccount = new TreeMap<>();
    }

    private static final class AdapterSums {
        final String datanet;
        long inferences;
        long inWindow;
        BigInteger fees = BigInteger.ZERO;
        Instant last;

        AdapterSums(String datanet) {
            this.datanet = datanet;
        }
    }
}
