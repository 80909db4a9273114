package io.tributary.core.index;

import io.tributary.core.crypto.Address;
import io.tributary.core.tokenize.Encoding;
import io.tributary.core.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The shards of one Datanet's index with its tokenizer: exact counts and span traces over all shards,
 * each shard searched in parallel.
 */
public final class ShardedIndex implements AutoCloseable {
    private final List<Shard> shards;
    private final Tokenizer tokenizer;
    private final long totalTokens;

    public ShardedIndex(List<Shard> shards, Tokenizer tokenizer) {
        this.shards = List.copyOf(shards);
        this.tokenizer = tokenizer;
        this.totalTokens = shards.stream().mapToLong(Shard::tokenCount).sum();
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
     * probability, rarest first.
     */
    public TraceResult trace(String text, TraceOptions options) {
        return trace(text, tokenizer.encode(text), options);
    }

    /** Traces an already tokenized text ({@code encoding} must be the tokens of {@code text}). */
    public TraceResult trace(String text, Encoding encoding, TraceOptions options) {
        int[] query = encoding.tokens();
        int m = query.length;
        int[] longest = new int[m];
        shards.parallelStream().map(shard -> {
            int[] lengths = new int[m];
            for (int i = 0; i < m; i++) {
                lengths[i] = shard.longestPrefixMatch(query, i, m);
            }
            return lengths;
        }).forEachOrdered(lengths -> {
            for (int i = 0; i < m; i++) {
                longest[i] = Math.max(longest[i], lengths[i]);
            }
        });

        Map<Integer, Double> unigramLog = new HashMap<>();
        List<TracedSpan> spans = new ArrayList<>();
        int reach = 0;
        for (int i = 0; i < m; i++) {
            int end = i + longest[i];
            if (longest[i] < options.minTokens() || end <= reach) {
                continue;
            }
            reach = end;
            TracedSpan span = describe(text, encoding, i, end, options, unigramLog);
            if (span != null) {
                spans.add(span);
            }
        }
        spans.sort(Comparator.comparingDouble(TracedSpan::logUnigramProbability).thenComparingInt(TracedSpan::start));
        return new TraceResult(m, List.copyOf(spans), shares(text.length(), spans));
    }

    private TracedSpan describe(String text, Encoding encoding, int from, int to, TraceOptions options,
                                Map<Integer, Double> unigramLog) {
        int[] query = encoding.tokens();
        List<long[]> ranges = shards.parallelStream().map(shard -> shard.range(query, from, to)).toList();
        long count = ranges.stream().mapToLong(range -> range[1] - range[0]).sum();
        if (count > options.maxCount()) {
            return null;
        }
        Set<DocumentRef> documents = new LinkedHashSet<>();
        Set<Address> contributors = new java.util.TreeSet<>();
        for (int s = 0; s < shards.size(); s++) {
            Shard shard = shards.get(s);
            for (long rank = ranges.get(s)[0]; rank < ranges.get(s)[1]; rank++) {
                DocumentRef document = shard.documentAt(shard.occurrence(rank));
                documents.add(document);
                contributors.add(document.contributor());
            }
        }
        double logProbability = 0;
        for (int i = from; i < to; i++) {
            int token = query[i];
            logProbability += unigramLog.computeIfAbsent(token,
                    t -> Math.log((double) count(new int[] {t}, 0, 1) / totalTokens));
        }
        int[] characters = encoding.characters(from, to);
        List<DocumentRef> listed = documents.stream().limit(options.documentLimit()).toList();
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
