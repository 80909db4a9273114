package io.tributary.core.index;

import io.tributary.core.crypto.Address;
import io.tributary.core.tokenize.Encoding;
import io.tributary.core.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The shards of one Datanet's index with its tokenizer: exact counts and span traces over all shards,
 * each shard searched in parallel.
 */
public final class ShardedIndex implements AutoCloseable {
    private final List<Shard> shards;
    private final Tokenizer tokenizer;
    private final long totalTokens;
    /**
     * Each token's log unigram probability once asked for, by token id (raw bits; {@link #UNKNOWN} before): a span
     * sums it over its tokens, and a boxed map lookup per token cost about 8% of a natural-text trace. Ids beyond
     * {@link #LOG_ARRAY_LIMIT} (a vocabulary too large for an array) use {@link #unigramLogBeyond}.
     */
    private final AtomicLongArray unigramLog;
    private final Map<Integer, Double> unigramLogBeyond = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int LOG_ARRAY_LIMIT = 1 << 20;
    private static final long UNKNOWN = Double.doubleToRawLongBits(Double.NaN);
    /** The filter of every shard's grams that {@link #buildGramFilters} last built; null before. */
    private volatile GramFilter anyShardFilter;

    public ShardedIndex(List<Shard> shards, Tokenizer tokenizer) {
        this.shards = List.copyOf(shards);
        this.tokenizer = tokenizer;
        this.totalTokens = shards.stream().mapToLong(Shard::tokenCount).sum();
        this.unigramLog = new AtomicLongArray(Math.min(tokenizer.vocabularySize(), LOG_ARRAY_LIMIT));
        for (int t = 0; t < unigramLog.length(); t++) {
            unigramLog.setPlain(t, UNKNOWN);
        }
    }

    public static ShardedIndex open(List<Path> shardFiles, Tokenizer tokenizer) throws IOException {
        List<Shard> opened = new ArrayList<>();
        for (Path file : shardFiles) {
            opened.add(Shard.open(file));
        }
        return new ShardedIndex(opened, tokenizer);
    }

    public List<Shard> shards() {
        return shards;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Tokens in all shards, separators included. */
    public long totalTokens() {
        return totalTokens;
    }

    /** Occurrences of {@code text}'s token sequence and its length in tokens. */
    public record Count(long count, int tokens) {}

    public Count count(String text) {
        int[] tokens = tokenizer.encode(text).tokens();
        return new Count(count(tokens, 0, tokens.length), tokens.length);
    }

    /** Occurrences of {@code tokens[from, to)} in every shard together. */
    public long count(int[] tokens, int from, int to) {
        if (to <= from) {
            return 0;
        }
        return shards.parallelStream().mapToLong(shard -> shard.count(tokens, from, to)).sum();
    }

    /**
     * The maximal spans of {@code text} that occur verbatim in the index (OLMoTrace's notion: no span lies
     * inside another), at least {@code minTokens} long and at most {@code maxCount} times, ranked by unigram
     * probability, rarest first. A span is kept only if it carries text: at least {@code minTokens} of its tokens
     * cover a letter or digit ({@link #textTokens}), so a run of spaces, rules or punctuation that happens to occur in
     * the index earns nothing however long it is.
     */
    public TraceResult trace(String text, TraceOptions options) {
        return trace(text, tokenizer.encode(text), options);
    }

    /** Traces an already tokenized text ({@code encoding} must be the tokens of {@code text}). */
    public TraceResult trace(String text, Encoding encoding, TraceOptions options) {
        List<TracedSpan> spans = spans(text, encoding, options);
        return new TraceResult(encoding.tokens().length, spans, shares(text.length(), spans));
    }

    /**
     * The spans {@link #trace} reports, ranked the same way, without the contributors' shares of the text (for
     * callers that split credit their own way, such as the attribution stream: the shares cost about 14% of a
     * natural-text trace).
     */
    public List<TracedSpan> spans(String text, Encoding encoding, TraceOptions options) {
        int[] query = encoding.tokens();
        SpanFinder finder = new SpanFinder(shards, anyShardFilter, query, options.minTokens());
        List<TracedSpan> spans = new ArrayList<>();
        for (SpanFinder.Found found : finder.find(options.minTokens())) {
            // A span left out (too little text, or occurring too often) still hides the spans inside it, as maximal
            // spans do; a span inside one with too little text has too little text itself.
            if (textTokens(text, encoding, found.start(), found.end()) < options.minTokens()) {
                continue;
            }
            TracedSpan span = describe(text, encoding, found, options);
            if (span != null) {
                spans.add(span);
            }
        }
        spans.sort(Comparator.comparingDouble(TracedSpan::logUnigramProbability).thenComparingInt(TracedSpan::start));
        return List.copyOf(spans);
    }

    /**
     * How many of tokens {@code [from, to)} carry text: cover a character that is a letter or a digit (Unicode's
     * {@link Character#isLetterOrDigit}). With byte tokens each byte of such a character counts, so the count is the
     * UTF-8 length of the span's letters and digits; whitespace, punctuation and symbols count for nothing. The rule
     * needs no index statistics, so the trace, the {@code index trace} command and the attribution stream apply it
     * alike (a cheap stand-in for OLMoTrace's filter on span unigram probability, which likewise drops spans of
     * frequent tokens such as runs of spaces).
     */
    static int textTokens(String text, Encoding encoding, int from, int to) {
        int[] starts = encoding.starts();
        int[] ends = encoding.ends();
        int count = 0;
        for (int t = from; t < to; t++) {
            for (int c = starts[t]; c < ends[t]; ) {
                int codePoint = text.codePointAt(c);
                if (Character.isLetterOrDigit(codePoint)) {
                    count++;
                    break;
                }
                c += Character.charCount(codePoint);
            }
        }
        return count;
    }

    /**
     * Builds, once, a filter of all shards' {@code gramTokens}-token grams and each shard's own (about 1.5 bytes of
     * heap per index token each, one pass over the tokens), so traces with {@code min-tokens >= gramTokens} rule
     * out most positions with one lookup, and the rest's shards with one lookup each, before any binary search.
     * For long-lived readers (the attribution stream); a one-off query is faster without. Results are identical
     * either way. Shards shared with other views keep their own filter; the all-shards one belongs to this view.
     */
    public void buildGramFilters(int gramTokens) {
        GramFilter built = anyShardFilter;
        if (built != null && built.gramTokens() == gramTokens) {
            return;
        }
        synchronized (this) {
            built = anyShardFilter;
            if (built == null || built.gramTokens() != gramTokens) {
                anyShardFilter = buildAnyShardFilter(gramTokens);
            }
        }
    }

    private GramFilter buildAnyShardFilter(int gramTokens) {
        GramFilter any = GramFilter.sized(gramTokens, totalTokens);
        // One shard after another: the all-shards filter is written without locks.
        for (Shard shard : shards) {
            shard.filterGrams(gramTokens, any);
        }
        return any;
    }

    /** Heap bytes held by the shards' gram filters (0 before {@link #buildGramFilters}). */
    public long gramFilterBytes() {
        GramFilter any = anyShardFilter;
        return (any == null ? 0 : any.sizeInBytes()) + shards.stream().map(Shard::gramFilter)
                .filter(java.util.Objects::nonNull).mapToLong(GramFilter::sizeInBytes).sum();
    }

    /** log(count(token) / tokens); remembered, as the index never changes. */
    private double unigramLogProbability(int token) {
        if (token < 0 || token >= unigramLog.length()) {
            return unigramLogBeyond.computeIfAbsent(token, this::computeUnigramLogProbability);
        }
        // Opaque reads and writes: never a torn value; two threads racing both compute the same one.
        long known = unigramLog.getOpaque(token);
        if (known == UNKNOWN) {
            double computed = computeUnigramLogProbability(token);
            unigramLog.setOpaque(token, Double.doubleToRawLongBits(computed));
            return computed;
        }
        return Double.longBitsToDouble(known);
    }

    private double computeUnigramLogProbability(int token) {
        return Math.log((double) count(new int[] {token}, 0, 1) / totalTokens);
    }

    private TracedSpan describe(String text, Encoding encoding, SpanFinder.Found found, TraceOptions options) {
        int[] query = encoding.tokens();
        int from = found.start();
        int to = found.end();
        long[][] ranges = found.ranges();
        long count = 0;
        for (long[] range : ranges) {
            count += range[1] - range[0];
        }
        if (count > options.maxCount()) {
            return null;
        }
        // Distinct documents first (cheap numbers), then their ids and contributors, in shard and text order.
        List<DocumentRef> documents = new ArrayList<>();
        Set<Address> contributors = new java.util.TreeSet<>();
        for (int s = 0; s < shards.size(); s++) {
            Shard shard = shards.get(s);
            long[] range = ranges[s];
            int[] numbers = new int[Math.toIntExact(range[1] - range[0])];
            for (int k = 0; k < numbers.length; k++) {
                numbers[k] = shard.documentIndexAt(shard.occurrence(range[0] + k));
            }
            Arrays.sort(numbers);
            for (int k = 0; k < numbers.length; k++) {
                if (k > 0 && numbers[k] == numbers[k - 1]) {
                    continue; // each document once, however often it holds the span
                }
                DocumentRef document = shard.document(numbers[k]);
                documents.add(document);
                contributors.add(document.contributor());
            }
        }
        double logProbability = 0;
        for (int i = from; i < to; i++) {
            logProbability += unigramLogProbability(query[i]);
        }
        int[] characters = encoding.characters(from, to);
        List<DocumentRef> listed = List.copyOf(documents.subList(0, Math.min(documents.size(), options.documentLimit())));
        return new TracedSpan(characters[0], characters[1], text.substring(characters[0], characters[1]),
                to - from, count, logProbability, listed, List.copyOf(contributors));
    }

    /**
     * Each traced character is one unit of credit, split evenly over the spans covering it and, within a
     * span, evenly over the contributors holding it; shares are the credit over the traced characters.
     */
    static Map<String, Double> shares(int textLength, List<TracedSpan> spans) {
        int[] cover = new int[textLength];
        for (TracedSpan span : spans) {
            for (int c = span.start(); c < span.end(); c++) {
                cover[c]++;
            }
        }
        int covered = 0;
        for (int c : cover) {
            if (c > 0) {
                covered++;
            }
        }
        Map<String, Double> credit = new TreeMap<>();
        for (TracedSpan span : spans) {
            double weight = 0;
            for (int c = span.start(); c < span.end(); c++) {
                weight += 1.0 / cover[c];
            }
            double each = weight / span.contributors().size() / covered;
            for (Address contributor : span.contributors()) {
                credit.merge(contributor.value(), each, Double::sum);
            }
        }
        return new LinkedHashMap<>(credit);
    }

    @Override
    public void close() {
        shards.forEach(Shard::close);
    }
}
