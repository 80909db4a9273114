package io.tributary.attribution.job;

import io.delta.kernel.engine.Engine;
import io.tributary.attribution.AttributionSettings;
import io.tributary.attribution.sink.StagedRow;
import io.tributary.attribution.source.LogLine;
import io.tributary.attribution.trace.AttributionCatalog;
import io.tributary.attribution.trace.Attributor;
import io.tributary.core.hash.Hashing;
import io.tributary.core.hash.Hex;
import io.tributary.core.inference.InferenceRecord;
import io.tributary.core.inference.InferenceRecords;
import io.tributary.core.inference.InferenceRejection;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.merkle.MerkleTree;
import io.tributary.core.money.FeeSplitter;
import io.tributary.lake.kernel.KernelTable;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The stream's one stateful step, per log line in log order: validate (core's parser), drop an inference id
 * already paid, attribute and split the fee, assign the record to its event-time epoch (or, when that epoch is
 * closed, to the earliest open one, marked late), emit its inference and attribution rows, and add its wei to the
 * epoch. An event-time timer at the epoch's end plus the allowed lateness closes it: payout rows per (account,
 * role) and the epoch row with the Merkle root of its inference records. Invalid lines become rejected rows.
 *
 * <p>A run started without a checkpoint also reads what earlier runs committed (paid inference ids, closed epochs,
 * rejection ids), so running again over a processed log adds nothing and never reopens a closed epoch.
 */
public final class EpochProcessor extends KeyedProcessFunction<Integer, LogLine, StagedRow> {
    static final String CONTRIBUTOR = "contributor";

    private final AttributionSettings settings;
    private transient Attributor attributor;
    private transient Set<String> committedInferences;
    private transient Set<String> committedRejections;
    private transient TreeSet<Long> committedEpochs;
    /** epoch -> its totals (JSON), for every open epoch. */
    private transient MapState<Long, String> open;
    /**
     * The open epochs' totals decoded, so a record does not parse its epoch's JSON again: {@link #open} stays the
     * state (written per record), this is a cache of it, empty after every (re)start. A plain map, not keyed state: it
     * is right only because the job keys every line to the one key 0 (AttributionJob), so one instance sees every epoch.
     */
    private transient Map<Long, EpochTotals> live;
    /** inference id -> "epoch|record hash" for every inference this run paid (deduplication and Merkle leaves). */
    private transient MapState<String, String> paid;
    private transient MapState<Long, Boolean> closed;
    /** The highest watermark seen, so late marks survive a restore (Flink restarts watermarks from nothing). */
    private transient ValueState<Long> watermark;

    public EpochProcessor(AttributionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        Engine engine = KernelTable.engine(settings.hadoop());
        attributor = new Attributor(settings, new AttributionCatalog(engine, settings.lakeRoot(), settings.refreshMs()));
        committedInferences = column(engine, LakeTable.INFERENCES, "inference_id");
        committedRejections = column(engine, LakeTable.REJECTED_INFERENCES, "rejection_id");
        committedEpochs = new TreeSet<>();
        for (Map<String, Object> row : rows(engine, LakeTable.ATTRIBUTION_EPOCHS, "epoch")) {
            committedEpochs.add((Long) row.get("epoch"));
        }
        live = new HashMap<>();
        open = getRuntimeContext().getMapState(new MapStateDescriptor<>("open-epochs", Types.LONG, Types.STRING));
        paid = getRuntimeContext().getMapState(new MapStateDescriptor<>("paid", Types.STRING, Types.STRING));
        closed = getRuntimeContext().getMapState(new MapStateDescriptor<>("closed-epochs", Types.LONG, Types.BOOLEAN));
        watermark = getRuntimeContext().getState(new ValueStateDescriptor<>("watermark", Types.LONG));
    }

    private List<Map<String, Object>> rows(Engine engine, LakeTable table, String column) {
        KernelTable kernel = KernelTable.reading(engine, settings.lakeRoot(), table);
        return kernel.exists() ? kernel.read(OptionalLong.empty(), List.of(column)).rows() : List.of();
    }

    private Set<String> column(Engine engine, LakeTable table, String column) {
        Set<String> values = new HashSet<>();
        for (Map<String, Object> row : rows(engine, table, column)) {
            values.add((String) row.get(column));
        }
        return values;
    }

    @Override
    public void processElement(LogLine line, Context context, Collector<StagedRow> out) throws Exception {
        long seen = Math.max(context.timerService().currentWatermark(), watermark.value() == null ? Long.MIN_VALUE : watermark.value());
        watermark.update(seen);
        InferenceRecords.Parsed parsed = InferenceRecords.parse(line.raw);
        if (parsed instanceof InferenceRecords.Rejected rejected) {
            reject(line, rejected.rejection(), out);
            return;
        }
        InferenceRecord record = ((InferenceRecords.Accepted) parsed).record();
        if (committedInferences.contains(record.inferenceId()) || paid.contains(record.inferenceId())) {
            return; // paid already (a producer retry, or a log processed by an earlier run)
        }
        Attributor.Outcome outcome = attributor.attribute(record);
        if (outcome instanceof Attributor.Refused refused) {
            reject(line, refused.rejection(), out);
            return;
        }
        Attributor.Attributed attributed = (Attributor.Attributed) outcome;
        long own = settings.epochOf(record.servedAt().toEpochMilli());
        boolean late = isClosed(own) || (seen != Long.MIN_VALUE && closeTime(own) <= seen);
        long epoch = late ? earliestOpen(own, seen) : own;

        String hash = record.hash();
        out.collect(StagedRow.of(LakeTable.INFERENCES, inferenceRow(record, attributed, epoch, late, hash)));
        EpochTotals totals = live.get(epoch);
        if (totals == null) {
            String state = open.get(epoch);
            if (state == null) {
                context.timerService().registerEventTimeTimer(closeTime(epoch));
            }
            totals = EpochTotals.decode(state);
            live.put(epoch, totals);
        }
        totals.inferences++;
        totals.late += late ? 1 : 0;
        totals.fees = totals.fees.add(record.feeWei());
        for (FeeSplitter.Line split : attributed.split().lines()) {
            out.collect(StagedRow.of(LakeTable.ATTRIBUTIONS, attributionRow(record, attributed.datanet(), epoch, split)));
            totals.owe(role(split.kind()), split.account(), split.wei());
        }
        open.put(epoch, totals.encode());
        paid.put(record.inferenceId(), epoch + "|" + hash);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<StagedRow> out) throws Exception {
        long epoch = Math.floorDiv(timestamp - settings.allowedLatenessMs() + 1, settings.epochLengthMs()) - 1;
        String state = open.get(epoch);
        if (state == null) {
            return;
        }
        EpochTotals totals = EpochTotals.decode(state);
        TreeMap<String, String> leaves = new TreeMap<>();
        for (Map.Entry<String, String> entry : paid.entries()) {
            String value = entry.getValue();
            int bar = value.indexOf('|');
            if (Long.parseLong(value.substring(0, bar)) == epoch) {
                leaves.put(entry.getKey(), value.substring(bar + 1));
            }
        }
        List<byte[]> leafBytes = new ArrayList<>();
        leaves.values().forEach(hex -> leafBytes.add(Hex.decode(hex)));
        String root = MerkleTree.ofLeaves(leafBytes).rootHex();
        for (Map.Entry<String, BigInteger> owed : totals.owed.entrySet()) {
            String[] roleAndAccount = owed.getKey().split("\\|", 2);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", epoch);
            row.put("account", roleAndAccount[1]);
            row.put("role", roleAndAccount[0]);
            row.put("wei", owed.getValue().toString());
            out.collect(StagedRow.of(LakeTable.EPOCH_PAYOUTS, row));
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("start", Instant.ofEpochMilli(epoch * settings.epochLengthMs()));
        row.put("end", Instant.ofEpochMilli((epoch + 1) * settings.epochLengthMs()));
        row.put("inferences", totals.inferences);
        row.put("late", totals.late);
        row.put("fees_wei", totals.fees.toString());
        row.put("inferences_root", root);
        row.put("closed_at", Instant.now());
        out.collect(StagedRow.of(LakeTable.ATTRIBUTION_EPOCHS, row));
        open.remove(epoch);
        live.remove(epoch);
        closed.put(epoch, true);
    }

    /** The watermark at which an epoch closes: its end plus the allowed lateness (inclusive). */
    private long closeTime(long epoch) {
        return (epoch + 1) * settings.epochLengthMs() + settings.allowedLatenessMs() - 1;
    }

    private boolean isClosed(long epoch) throws Exception {
        return committedEpochs.contains(epoch) || closed.contains(epoch);
    }

    /** The earliest epoch still open: the first open one with state, or the first not closed by the watermark. */
    private long earliestOpen(long own, long seen) throws Exception {
        long candidate = seen == Long.MIN_VALUE ? own + 1
                : Math.max(own + 1, Math.floorDiv(seen - settings.allowedLatenessMs() + 1, settings.epochLengthMs()));
        while (isClosed(candidate)) {
            candidate++;
        }
        for (Long epoch : open.keys()) {
            if (epoch < candidate) {
                candidate = epoch;
            }
        }
        return candidate;
    }

    private static String role(FeeSplitter.Kind kind) {
        return switch (kind) {
            case SPAN, PRIOR -> CONTRIBUTOR;
            case CREATOR -> "creator";
            case PROTOCOL -> "protocol";
        };
    }

    private void reject(LogLine line, InferenceRejection rejection, Collector<StagedRow> out) {
        byte[] source = (line.source + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] both = new byte[source.length + line.raw.length];
        System.arraycopy(source, 0, both, 0, source.length);
        System.arraycopy(line.raw, 0, both, source.length, line.raw.length);
        String id = Hashing.sha256Hex(both);
        if (committedRejections.contains(id)) {
            return;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("rejection_id", id);
        row.put("source", line.source);
        row.put("reason", rejection.reason().code());
        row.put("detail", rejection.detail());
        row.put("raw", line.raw);
        row.put("rejected_at", Instant.now());
        out.collect(StagedRow.of(LakeTable.REJECTED_INFERENCES, row));
    }

    private static Map<String, Object> inferenceRow(InferenceRecord record, Attributor.Attributed attributed, long epoch,
                                                    boolean late, String hash) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("inference_id", record.inferenceId());
        row.put("served_at", record.servedAt());
        row.put("epoch", epoch);
        row.put("late", late);
        row.put("adapter_id", record.adapterId());
        row.put("datanet", record.datanet());
        row.put("datanet_version", record.datanetVersion().isPresent() ? record.datanetVersion().getAsLong() : null);
        row.put("base_model_sha256", record.baseModelSha256());
        row.put("adapter_sha256", record.adapterSha256());
        row.put("payer", record.payer().value());
        row.put("api_key_id", record.apiKeyId());
        row.put("prompt_tokens", record.promptTokens());
        row.put("completion_tokens", record.completionTokens());
        row.put("completion", record.completion());
        row.put("finish_reason", record.finishReason());
        row.put("fee_wei", record.feeWei().toString());
        row.put("price_version", record.priceVersion());
        row.put("record_hash", hash);
        row.put("covered_tokens", (long) attributed.split().coveredTokens());
        return row;
    }

    private static Map<String, Object> attributionRow(InferenceRecord record, String datanet, long epoch, FeeSplitter.Line line) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("inference_id", record.inferenceId());
        row.put("epoch", epoch);
        row.put("datanet", datanet);
        row.put("kind", line.kind().code());
        row.put("span_start", line.spanStart());
        row.put("span_end", line.spanEnd());
        row.put("contribution_id", line.contributionId());
        row.put("account", line.account());
        row.put("credit", line.credit().toString());
        row.put("credited_tokens", line.creditedTokens().doubleValue());
        row.put("wei", line.wei().toString());
        return row;
    }
}
