package io.tributary.indexing.bench;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.Progress;
import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.crypto.Address;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.index.IndexedDocument;
import io.tributary.core.index.Shard;
import io.tributary.core.index.ShardWriter;
import io.tributary.core.index.ShardedIndex;
import io.tributary.core.index.TraceOptions;
import io.tributary.core.tokenize.ByteTokenizer;
import io.tributary.core.tokenize.Encoding;
import io.tributary.core.index.IndexLocation;
import io.tributary.indexing.index.IndexReader;
import io.tributary.indexing.index.IndexSettings;
import io.tributary.indexing.index.LakeFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tributary bench index-query}: count and trace latency over an index, on queries sampled from the
 * index itself: counts of short token runs, and traces of texts stitched from four runs of the corpus.
 */
@Command(name = "index-query", mixinStandardHelpOptions = true,
        description = "Count and trace latency percentiles on spans sampled from a Datanet's index, or from a "
                + "temporary index of a text file (--input) built here without Spark.")
public final class IndexQueryBenchmark implements Runnable {
    private static final int STITCHED_PARTS = 4;

    @Mixin
    GlobalOptions global;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--datanet", paramLabel = "ID", description = "The Datanet whose index to query.")
        String datanet;

        @Option(names = "--input", paramLabel = "FILE",
                description = "A text file: its paragraphs become documents of a temporary byte-token index.")
        Path input;
    }

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the query sampler. Default: 7.")
    long seed;

    @Override
    public void run() {
        TributaryConfig config = global.config();
        IndexSettings settings = IndexSettings.from(config);
        Path temporary = null;
        ShardedIndex index;
        String name;
        if (target.input != null) {
            temporary = buildTemporaryIndex(target.input, settings.shardTokens());
            index = open(temporary);
            name = target.input.toString();
        } else {
            DatanetId datanet = DatanetId.of(target.datanet);
            index = IndexReader.open(new IndexLocation(config.lakeRoot(), datanet), settings,
                    new LakeFiles(config.map("tributary.hadoop.conf")));
            name = datanet.value();
        }
        try (index) {
            Map<String, Object> json = measure(index, settings, name);
            CommandOutput.of(global).print(json, () -> human(json));
        } finally {
            if (temporary != null) {
                deleteQuietly(temporary);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static String human(Map<String, Object> json) {
        Map<String, Object> count = (Map<String, Object>) json.get("count");
        Map<String, Object> trace = (Map<String, Object>) json.get("trace");
        return String.format("index %s: %,d tokens in %d shard(s), %.2f bytes/token%n"
                        + "  count of %s tokens: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms (%s queries)%n"
                        + "  trace of %s tokens: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms (%s queries, %.1f spans each)",
                json.get("index"), json.get("tokens"), json.get("shards"), json.get("bytes_per_token"),
                json.get("count_tokens"), count.get("p50_ms"), count.get("p90_ms"), count.get("p99_ms"),
                count.get("queries"), json.get("trace_tokens"), trace.get("p50_ms"), trace.get("p90_ms"),
                trace.get("p99_ms"), trace.get("queries"), json.get("spans_per_trace"));
    }

    private Map<String, Object> measure(ShardedIndex index, IndexSettings settings, String name) {
        Random random = new Random(seed);
        int samples = settings.benchSamples();
        int warmUp = Math.max(5, samples / 10);
        LatencySample counts = new LatencySample(samples);
        LatencySample traces = new LatencySample(samples);
        TraceOptions options = settings.traceOptions();
        long spans = 0;
        try (Progress progress = Progress.start("bench: " + samples + " count and " + samples + " trace queries",
                2L * samples)) {
            for (int i = -warmUp; i < samples; i++) {
                int[] query = sample(index, random, settings.benchCountTokens());
                long started = System.nanoTime();
                index.count(query, 0, query.length);
                if (i >= 0) {
                    counts.add(System.nanoTime() - started);
                    progress.advance(1);
                }
            }
            for (int i = -warmUp; i < samples; i++) {
                int[] query = stitched(index, random, settings.benchTraceTokens());
                Encoding encoding = identity(query);
                String text = "x".repeat(query.length);
                long started = System.nanoTime();
                int found = index.trace(text, encoding, options).spans().size();
                if (i >= 0) {
                    traces.add(System.nanoTime() - started);
                    spans += found;
                    progress.advance(1);
                }
            }
        }
        long bytes = index.shards().stream().mapToLong(Shard::sizeInBytes).sum();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("index", name);
        json.put("tokens", index.totalTokens());
        json.put("shards", index.shards().size());
        json.put("bytes_per_token", (double) bytes / index.totalTokens());
        json.put("count_tokens", settings.benchCountTokens());
        json.put("trace_tokens", settings.benchTraceTokens());
        json.put("min_tokens", options.minTokens());
        json.put("count", counts.summary());
        json.put("trace", traces.summary());
        json.put("spans_per_trace", (double) spans / samples);
        return json;
    }

    /** A run of {@code length} tokens starting at a random position of a random shard (weighted by size). */
    private static int[] sample(ShardedIndex index, Random random, int length) {
        for (int attempt = 0; ; attempt++) {
            long position = (long) (random.nextDouble() * index.totalTokens());
            for (Shard shard : index.shards()) {
                if (position < shard.tokenCount()) {
                    int[] tokens = shard.tokens(position, length);
                    if (tokens.length == length || attempt > 1000) {
                        return tokens;
                    }
                    break;
                }
                position -= shard.tokenCount();
            }
        }
    }

    /** A text of {@code length} tokens made of runs from four random places, as a model mixing sources might. */
    private static int[] stitched(ShardedIndex index, Random random, int length) {
        int[] out = new int[length];
        int at = 0;
        for (int part = 0; part < STITCHED_PARTS; part++) {
            int size = part == STITCHED_PARTS - 1 ? length - at : length / STITCHED_PARTS;
            int[] run = sample(index, random, size);
            System.arraycopy(run, 0, out, at, run.length);
            at += run.length;
        }
        return java.util.Arrays.copyOf(out, at);
    }

    private static Encoding identity(int[] tokens) {
        int[] starts = new int[tokens.length];
        int[] ends = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            starts[i] = i;
            ends[i] = i + 1;
        }
        return new Encoding(tokens, starts, ends);
    }

    /** Paragraphs of the file become documents of 30 made-up contributors, cut into shards of the target size. */
    private static Path buildTemporaryIndex(Path input, long shardTokens) {
        if (!Files.isRegularFile(input)) {
            throw new UserError("--input " + input + ": no such file");
        }
        try {
            Path directory = Files.createTempDirectory("tributary-bench-index");
            // Malformed bytes become U+FFFD: a benchmark corpus need not be clean UTF-8.
            String text = new String(Files.readAllBytes(input), StandardCharsets.UTF_8);
            String[] paragraphs = text.split("\n\\s*\n");
            ByteTokenizer tokenizer = new ByteTokenizer();
            List<IndexedDocument> shard = new ArrayList<>();
            long inShard = 0;
            int shards = 0;
            try (Progress progress = Progress.start("bench: indexing " + paragraphs.length + " paragraphs of " + input,
                    paragraphs.length)) {
                for (int p = 0; p < paragraphs.length; p++) {
                    int[] tokens = tokenizer.encode(paragraphs[p]).tokens();
                    if (tokens.length == 0) {
                        continue;
                    }
                    if (inShard + tokens.length + 1 > shardTokens && !shard.isEmpty()) {
                        writeShard(directory, shards++, shard);
                        shard.clear();
                        inShard = 0;
                    }
                    shard.add(new IndexedDocument(ContributionId.ofText(paragraphs[p]),
                            Address.of(String.format("0x%040x", 1 + p % 30)), tokens));
                    inShard += tokens.length + 1;
                    progress.advance(1);
                }
                if (!shard.isEmpty()) {
                    writeShard(directory, shards, shard);
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeShard(Path directory, int number, List<IndexedDocument> documents) throws IOException {
        try (OutputStream out = Files.newOutputStream(directory.resolve(String.format("shard-%06d.trib", number)))) {
            ShardWriter.write(documents, 1, new java.io.BufferedOutputStream(out, 1 << 20));
        }
    }

    private static ShardedIndex open(Path directory) {
        try (var files = Files.list(directory)) {
            return ShardedIndex.open(files.sorted().toList(), new ByteTokenizer());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            Progress.step("bench: could not delete " + directory + ": " + e.getMessage());
        }
    }
}
