package io.tributary.attribution.trace;

import io.tributary.attribution.AttributionSettings;
import io.tributary.core.index.DocumentRef;
import io.tributary.core.index.ShardedIndex;
import io.tributary.core.index.TraceOptions;
import io.tributary.core.index.TracedSpan;
import io.tributary.core.inference.InferenceRecord;
import io.tributary.core.inference.InferenceRejection;
import io.tributary.core.money.FeeSplitter;
import io.tributary.core.money.FeeSplitter.Holder;
import io.tributary.core.money.FeeSplitter.Span;
import io.tributary.core.money.RewardPolicy;
import io.tributary.core.tokenize.ByteTokenizer;
import io.tributary.core.tokenize.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One inference from record to fee split: resolve the adapter (Datanet, version, creator) and the Datanet's reward
 * policy, trace the completion against the Datanet's index at that version, and split the fee with core's
 * {@link FeeSplitter}. Engine-free: the Flink operator and {@code bench attribution} both call it.
 */
public final class Attributor {
    private final AttributionSettings settings;
    private final AttributionCatalog catalog;
    private final TraceOptions traceOptions;
    private final Function<FeeSplitter.Request, FeeSplitter.Split> splitter;

    /** The outcome for one valid record: its split, or why it cannot be paid. */
    public sealed interface Outcome permits Attributed, Refused {}

    /** {@code datanetVersion} is the adapter's pinned version (-1 for the base model). */
    public record Attributed(InferenceRecord record, String datanet, long datanetVersion, FeeSplitter.Split split)
            implements Outcome {}

    public record Refused(InferenceRejection rejection) implements Outcome {}

    public Attributor(AttributionSettings settings, AttributionCatalog catalog) {
        this(settings, catalog, FeeSplitter::split);
    }

    /** With another splitter of the same rule: {@code bench attribution} times {@link FeeSplitter#referenceSplit} too. */
    public Attributor(AttributionSettings settings, AttributionCatalog catalog,
                      Function<FeeSplitter.Request, FeeSplitter.Split> splitter) {
        this.settings = settings;
        this.catalog = catalog;
        this.splitter = splitter;
        // Every document of a span shares its credit, not just the displayed ones: no document limit.
        this.traceOptions = new TraceOptions(settings.minSpanTokens(), settings.maxCount(), Integer.MAX_VALUE);
    }

    public Outcome attribute(InferenceRecord record) {
        if (record.isBaseModel()) {
            return new Attributed(record, "", -1, FeeSplitter.split(new FeeSplitter.Request(record.feeWei(), Optional.empty(),
                    Optional.empty(), settings.treasury(), 0, List.of(), List.of())));
        }
        Optional<AttributionCatalog.Adapter> found = catalog.adapter(record.adapterId());
        if (found.isEmpty()) {
            return refused("adapter " + record.adapterId() + " is not in the adapters table (or names no Datanet)");
        }
        AttributionCatalog.Adapter adapter = found.get();
        if (!adapter.datanet().equals(record.datanet())) {
            return refused("the record names Datanet " + record.datanet() + " but adapter " + record.adapterId()
                    + " was trained from " + adapter.datanet());
        }
        Optional<RewardPolicy> policy = catalog.policy(adapter.datanet());
        if (policy.isEmpty()) {
            return refused("Datanet " + adapter.datanet() + " of adapter " + record.adapterId() + " is not in the datanets table");
        }
        Optional<ShardedIndex> index = IndexCache.at(settings.lakeRoot(), adapter.datanet(), adapter.datanetVersion(),
                settings.refreshMs());
        Encoding encoding = index.map(ShardedIndex::tokenizer).orElseGet(ByteTokenizer::new).encode(record.completion());
        List<Span> spans = index.isPresent() ? spans(index.get(), record.completion(), encoding) : List.of();
        FeeSplitter.Split split = splitter.apply(new FeeSplitter.Request(record.feeWei(), policy, adapter.creator(),
                settings.treasury(), encoding.size(), spans, catalog.splitPriors(adapter)));
        return new Attributed(record, adapter.datanet(), adapter.datanetVersion(), split);
    }

    /** The kept spans of a trace, in token offsets, with every distinct contribution holding each. */
    public List<Span> spans(ShardedIndex index, String completion, Encoding encoding) {
        // The stream traces every record against the same mapped shards: the filters pay for themselves at once.
        index.buildGramFilters(traceOptions.minTokens());
        List<TracedSpan> traced = index.spans(completion, encoding, traceOptions);
        int[] starts = encoding.starts();
        int[] ends = encoding.ends();
        List<Span> spans = new ArrayList<>();
        for (TracedSpan span : traced) {
            int first = Arrays.binarySearch(starts, span.start());
            int last = Arrays.binarySearch(ends, span.end());
            if (first < 0 || last < 0) {
                throw new IllegalStateException("span [" + span.start() + ", " + span.end() + ") does not fall on token boundaries");
            }
            // Byte tokens of one multi-byte character share its offsets: take the widest token range.
            while (first > 0 && starts[first - 1] == span.start()) {
                first--;
            }
            while (last + 1 < ends.length && ends[last + 1] == span.end()) {
                last++;
            }
            List<Holder> holders = new ArrayList<>();
            for (DocumentRef document : span.documents()) {
                holders.add(new Holder(document.contributionId().hex(), document.contributor().value()));
            }
            spans.add(new Span(first, last + 1, holders));
        }
        return spans;
    }

    private static Refused refused(String detail) {
        return new Refused(new InferenceRejection(InferenceRejection.Reason.UNKNOWN_ADAPTER, detail));
    }
}
