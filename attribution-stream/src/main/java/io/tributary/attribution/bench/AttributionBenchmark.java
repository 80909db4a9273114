package io.tributary.attribution.bench;

import io.delta.kernel.engine.Engine;
import io.tributary.attribution.AttributionSettings;
import io.tributary.attribution.job.AttributionJob;
import io.tributary.attribution.trace.AttributionCatalog;
import io.tributary.attribution.trace.Attributor;
import io.tributary.core.crypto.Address;
import io.tributary.core.id.ContributionId;
import io.tributary.core.index.IndexManifest;
import io.tributary.core.index.IndexedDocument;
import io.tributary.core.index.Shard;
import io.tributary.core.index.ShardWriter;
import io.tributary.core.index.ShardedIndex;
import io.tributary.core.index.TraceOptions;
import io.tributary.core.inference.InferenceLogFiles;
import io.tributary.core.inference.InferenceRecord;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.money.FeeSplitter;
import io.tributary.core.tokenize.ByteTokenizer;
import io.tributary.core.tokenize.Encoding;
import io.tributary.lake.kernel.KernelTable;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.flink.core.execution.JobClient;

/**
 * {@code bench attribution}: (1) inferences per CPU-second traced and split, beside the trace alone, in one run, with
 * 200-token completions against a byte-token index of made-up words, or (corpus {@link Corpus#NATURAL}) about 215-token
 * completions of two quotes of Debian's copyright files and changelogs between changelog filler; (2) latency from a log file's appearance to its
 * inferences' attribution rows being committed, on the real job; (3) fidelity on a planted log: completions quoting
 * unique spans of known contributions (plus filler and quotes of later near-duplicates, which dedup keeps out of the
 * index): the share of each planted inference's covered pool reaching the true contributor, and the share reaching
 * the duplicate's submitter.
 */
public final class AttributionBenchmark {
    /** What the index and the completions are made of. */
    public enum Corpus {
        /**
         * Documents of made-up words from 4,096 syllable-words; each completion one 60-100 token quote of one document
         * between filler of the same words. Every quote is unique and no filler matches: the easiest case.
         */
        MADE_UP,
        /**
         * Real text on any Debian machine: the index is {@code /usr/share/common-licenses} and every package's
         * {@code /usr/share/doc/<package>/copyright} (licence boilerplate repeated across packages, as contributions
         * repeat), then, for an index larger than those (about 6M tokens), the packages' changelogs (Debian's and
         * upstream's {@code changelog*.gz}) but every eighth package's; all cut at paragraphs into documents of up to
         * 2,000 characters. Each completion is two 40-80 character quotes of random indexed documents between three
         * 20-40 character pieces of the held-out eighth's changelog entries (natural text that is not indexed, though
         * it shares phrases with it): about 215 byte tokens, the goal's 200-token completions.
         */
        NATURAL
    }

    static final Path LICENSES = Path.of("/usr/share/common-licenses");
    static final Path PACKAGE_DOCS = Path.of("/usr/share/doc");

    static final String DATANET = "bench";
    static final String ADAPTER = "d".repeat(64);
    static final String TREASURY = "0x000000000000000000000000000000000000dEaD";
    private static final int UNFILTERED_EVERY = 10;

    private final Path work;
    private final long indexTokens;
    private final int inferences;
    private final long seed;
    private final int trainingContributions;
    private final Corpus corpus;
    private final Random random;
    /**
     * NATURAL: the documents not yet indexed, in file order; the changelogs still to be cut into more of them (read
     * only when an index needs them); the held-out changelogs' lines filler is cut from.
     */
    private final ArrayDeque<String> naturalDocuments = new ArrayDeque<>();
    private final ArrayDeque<Path> indexedChangelogs = new ArrayDeque<>();
    private final List<String> fillerLines = new ArrayList<>();
    private final List<String> vocabulary = new ArrayList<>();
    /** Indexed documents (canonical), by contribution id: text and contributor. */
    private final Map<String, String[]> documents = new LinkedHashMap<>();
    /** Later near-duplicates, not indexed: duplicate id -> {canonical id, duplicate submitter}. */
    private final Map<String, String[]> duplicates = new LinkedHashMap<>();

    public AttributionBenchmark(Path work, long indexTokens, int inferences, long seed) {
        this(work, indexTokens, inferences, seed, 0);
    }

    /**
     * {@code trainingContributions} > 0: the adapter was trained on that many indexed documents (written to the
     * {@code contributions} table), so uncovered tokens are credited to them by training-token priors.
     */
    public AttributionBenchmark(Path work, long indexTokens, int inferences, long seed, int trainingContributions) {
        this(work, indexTokens, inferences, seed, trainingContributions, Corpus.MADE_UP);
    }

    public AttributionBenchmark(Path work, long indexTokens, int inferences, long seed, int trainingContributions,
                                Corpus corpus) {
        this.trainingContributions = trainingContributions;
        this.corpus = corpus;
        this.work = work;
        this.indexTokens = indexTokens;
        this.inferences = inferences;
        this.seed = seed;
        this.random = new Random(seed);
        String[] syllables = "ka lo mi ne ru sa ti vo ze be da fu gi ha jo ku le mo na pe qui ro su ta vu wa xe yo zi".split(" ");
        for (int i = 0; i < 4096; i++) {
            StringBuilder word = new StringBuilder();
            for (int s = 2 + random.nextInt(3); s > 0; s--) {
                word.append(syllables[random.nextInt(syllables.length)]);
            }
            vocabulary.add(word.toString());
        }
    }

    String lakeRoot() {
        return "file:" + work.resolve("lake").toAbsolutePath();
    }

    AttributionSettings settings(long checkpointMs) {
        return new AttributionSettings(lakeRoot(), Map.of(), TREASURY, 3_600_000, 1000, 2000, checkpointMs, 32, 1000,
                60_000, 1, "files", 100, "", "tributary-inferences", "tributary-attribution");
    }

    private String words(int bytes) {
        StringBuilder text = new StringBuilder();
        while (text.length() < bytes) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(vocabulary.get(random.nextInt(vocabulary.size())));
        }
        return text.toString();
    }

    private static String address(int n) {
        return String.format("0x%040x", 0x1000 + n);
    }

    /**
     * NATURAL: reads the licence and copyright files into documents (paragraphs packed up to 2,000 characters), queues
     * seven of every eight packages' changelogs (Debian's and upstream's) as more documents and cuts the eighth's into
     * filler lines; fails naming
     * the directory when a machine has none of them.
     */
    private void readNaturalText() throws IOException {
        List<Path> sources = new ArrayList<>();
        if (Files.isDirectory(LICENSES)) {
            try (var files = Files.list(LICENSES)) {
                files.filter(Files::isRegularFile).sorted().forEach(sources::add);
            }
        }
        // Per package, its changelogs: Debian's and the upstream ones (changelog.gz, in subdirectories too).
        List<List<Path>> changelogs = new ArrayList<>();
        if (Files.isDirectory(PACKAGE_DOCS)) {
            try (var packages = Files.list(PACKAGE_DOCS)) {
                for (Path directory : packages.sorted().toList()) {
                    if (Files.isRegularFile(directory.resolve("copyright"))) {
                        sources.add(directory.resolve("copyright"));
                    }
                    if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                        try (var files = Files.walk(directory)) {
                            List<Path> found = files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                                    .filter(file -> {
                                        String name = file.getFileName().toString();
                                        return name.startsWith("changelog") && name.endsWith(".gz");
                                    }).sorted().toList();
                            if (!found.isEmpty()) {
                                changelogs.add(found);
                            }
                        }
                    }
                }
            }
        }
        if (sources.isEmpty() || changelogs.size() < HELD_OUT_EVERY) {
            throw new IllegalStateException("the natural corpus needs " + LICENSES + " or " + PACKAGE_DOCS
                    + "/*/copyright, and changelogs of at least " + HELD_OUT_EVERY + " packages in " + PACKAGE_DOCS
                    + "; found " + sources.size() + " licence files and changelogs of " + changelogs.size() + " packages");
        }
        for (Path source : sources) {
            addDocuments(utf8(Files.readAllBytes(source)));
        }
        for (int i = 0; i < changelogs.size(); i++) {
            if (i % HELD_OUT_EVERY != HELD_OUT_EVERY - 1) {
                indexedChangelogs.addAll(changelogs.get(i));
                continue;
            }
            for (Path file : changelogs.get(i)) {
                for (String line : changelog(file).split("\n")) {
                    // Entries' text, not their headers and sign-offs (package names, versions, addresses).
                    String text = line.strip();
                    if (line.startsWith("  ") && text.length() >= 40 && !text.startsWith("--")) {
                        fillerLines.add(text.startsWith("* ") ? text.substring(2) : text);
                    }
                }
            }
        }
    }

    /** Every {@code HELD_OUT_EVERY}-th package's changelogs (packages in name order) are filler, never indexed. */
    private static final int HELD_OUT_EVERY = 8;

    private static String changelog(Path file) throws IOException {
        try (var in = new GZIPInputStream(Files.newInputStream(file))) {
            return utf8(in.readAllBytes());
        }
    }

    /** A file's paragraphs packed into documents of up to 2,000 characters (a longer paragraph stays whole). */
    private void addDocuments(String file) {
        StringBuilder document = new StringBuilder();
        for (String paragraph : file.split("\n\s*\n")) {
            if (document.length() > 0 && document.length() + paragraph.length() > 2000) {
                naturalDocuments.add(document.toString());
                document.setLength(0);
            }
            document.append(document.length() > 0 ? "\n\n" : "").append(paragraph.strip());
        }
        if (!document.toString().isBlank()) {
            naturalDocuments.add(document.toString());
        }
    }

    /** Malformed bytes (a few copyright files are Latin-1) become U+FFFD rather than failing the run. */
    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The next document to index: made-up words, or the next natural one (null when the natural text is used up). */
    private String nextDocument() throws IOException {
        if (corpus == Corpus.MADE_UP) {
            return words(2000);
        }
        while (naturalDocuments.isEmpty() && !indexedChangelogs.isEmpty()) {
            addDocuments(changelog(indexedChangelogs.poll()));
        }
        return naturalDocuments.poll();
    }

    /**
     * The lake: datanet, adapter, the index of about {@code indexTokens} byte tokens in shards of 20M (NATURAL: at
     * most the distinct text the machine has: on the development machine 6.0M tokens from 837 packages' copyright
     * files, many of them copies of one another, which count once, then about 100M of changelogs; {@code index_tokens}
     * says).
     */
    public Map<String, Object> prepare() throws IOException {
        long start = System.nanoTime();
        if (corpus == Corpus.NATURAL) {
            readNaturalText();
        }
        Engine engine = KernelTable.engine(Map.of());
        Files.createDirectories(work.resolve("lake"));
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        KernelTable.writing(engine, lakeRoot(), LakeTable.DATANETS).append(List.of(row("datanet", DATANET, "name", "Bench",
                "topic", "bench", "owner", TREASURY, "protocol_bps", 500, "creator_bps", 1500, "contributors_bps", 8000,
                "created_at", now)));
        Path index = work.resolve("lake/indexes/" + DATANET);
        Files.createDirectories(index.resolve("shards"));
        List<IndexManifest.Entry> entries = new ArrayList<>();
        long total = 0;
        int shard = 0;
        long order = 0;
        boolean textLeft = true;
        while (total < indexTokens && textLeft) {
            long shardTokens = Math.min(20_000_000L, indexTokens - total);
            List<IndexedDocument> shardDocuments = new ArrayList<>();
            long inShard = 0;
            while (inShard < shardTokens) {
                String text = nextDocument();
                if (text == null) {
                    textLeft = false;
                    break;
                }
                String id = ContributionId.ofText(text).hex();
                if (documents.containsKey(id)) {
                    continue; // a file copied verbatim into two packages: one contribution, as ingest would keep
                }
                String contributor = address(random.nextInt(200));
                documents.put(id, new String[] {text, contributor});
                int[] tokens = new ByteTokenizer().encode(text).tokens();
                shardDocuments.add(new IndexedDocument(new ContributionId(id), Address.of(contributor), tokens));
                inShard += tokens.length + 1;
                order++;
                if (corpus == Corpus.MADE_UP && documents.size() % 50 == 0 && duplicates.size() < 2000) {
                    // A later near-duplicate by someone else: same text with one word changed; dedup keeps it out.
                    String duplicate = text.replaceFirst(" ", " " + vocabulary.get(random.nextInt(vocabulary.size())) + " ");
                    duplicates.put(ContributionId.ofText(duplicate).hex(), new String[] {id, address(500 + random.nextInt(100))});
                }
            }
            if (shardDocuments.isEmpty()) {
                break;
            }
            String file = String.format("shards/shard-%06d.trib", shard);
            ShardWriter.Summary summary;
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(index.resolve(file)), 1 << 20)) {
                summary = ShardWriter.write(shardDocuments, 1, out);
            }
            entries.add(new IndexManifest.Entry(shard, file, 0, summary.tokens(), summary.documents(), summary.bytes(),
                    summary.sha256(), order - shardDocuments.size(), order - 1));
            total += summary.tokens();
            shard++;
        }
        List<String> trained = new ArrayList<>(documents.keySet()).subList(0, Math.min(trainingContributions, documents.size()));
        if (!trained.isEmpty()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String id : trained) {
                String[] document = documents.get(id);
                rows.add(row("contribution_id", id, "datanet", DATANET, "contributor", document[1], "signature", "bench",
                        "license", "CC0-1.0", "ingested_at", now, "batch_id", "bench", "ingest_order", (long) rows.size(),
                        "text_bytes", document[0].getBytes(StandardCharsets.UTF_8).length, "text", document[0]));
            }
            KernelTable.writing(engine, lakeRoot(), LakeTable.CONTRIBUTIONS).append(rows);
        }
        KernelTable.writing(engine, lakeRoot(), LakeTable.ADAPTERS).append(List.of(row("adapter_id", ADAPTER, "datanet",
                DATANET, "datanet_version", 0L, "creator", address(9999), "train_contribution_ids", String.join(",", trained))));
        IndexManifest manifest = IndexManifest.empty(DATANET, ByteTokenizer.NAME).plus(0, entries);
        Files.writeString(index.resolve(IndexManifest.FILE_NAME), manifest.toJson());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("corpus", corpus.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        result.put("index_tokens", total);
        result.put("shards", shard);
        result.put("documents", documents.size());
        result.put("training_contributions", trained.size());
        result.put("build_seconds", (System.nanoTime() - start) / 1e9);
        return result;
    }

    /**
     * A planted inference: its completion, the contributors of the documents its quotes were cut from, and the
     * duplicate's submitter (empty when it quotes no near-duplicate).
     */
    record Planted(InferenceRecord record, Set<String> trueContributors, String duplicateSubmitter) {}

    /** The workload of the corpus: {@link #madeUpPlanted} or {@link #naturalPlanted}. */
    List<Planted> planted(int count) {
        return corpus == Corpus.MADE_UP ? madeUpPlanted(count) : naturalPlanted(count);
    }

    /**
     * Completions of two 40-80 character quotes, each of a random indexed document (starting at a word), between three
     * 20-40 character pieces of held-out changelog lines: about 215 byte tokens.
     */
    private List<Planted> naturalPlanted(int count) {
        List<String> ids = new ArrayList<>(documents.keySet());
        List<Planted> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder completion = new StringBuilder(fillerPiece());
            Set<String> contributors = new TreeSet<>();
            for (int q = 0; q < 2; q++) {
                String[] document = documents.get(ids.get(random.nextInt(ids.size())));
                String text = document[0];
                int length = Math.min(text.length(), 40 + random.nextInt(41));
                int from = random.nextInt(text.length() - length + 1);
                int space = text.indexOf(' ', from);
                if (space >= 0 && space + 1 + length <= text.length() && space - from < 20) {
                    from = space + 1;
                }
                completion.append(' ').append(text, from, from + length).append(' ').append(fillerPiece());
                contributors.add(document[1]);
            }
            list.add(new Planted(record(i, completion.toString()), contributors, ""));
        }
        return list;
    }

    private String fillerPiece() {
        String line = fillerLines.get(random.nextInt(fillerLines.size()));
        int length = Math.min(line.length(), 20 + random.nextInt(21));
        return line.substring(0, length);
    }

    private InferenceRecord record(int i, String completion) {
        int tokens = new ByteTokenizer().encode(completion).size();
        return new InferenceRecord("bench-" + seed + "-" + i, Instant.ofEpochMilli(1_780_000_000_000L + i), ADAPTER,
                DATANET, OptionalLong.of(0), "e".repeat(64), "f".repeat(64), Address.of(TREASURY), "0123456789abcdef", 20,
                tokens, completion, "stop", BigInteger.valueOf(1_000_000_000_000L + i), "bench-price");
    }

    /** 200-byte-token completions: a 60-100 token quote of a document (or of a near-duplicate's text), rest filler. */
    private List<Planted> madeUpPlanted(int count) {
        List<String> ids = new ArrayList<>(documents.keySet());
        List<Map.Entry<String, String[]>> dups = new ArrayList<>(duplicates.entrySet());
        List<Planted> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean viaDuplicate = !dups.isEmpty() && i % 4 == 3;
            String canonical;
            String duplicateSubmitter = "";
            if (viaDuplicate) {
                Map.Entry<String, String[]> dup = dups.get(random.nextInt(dups.size()));
                canonical = dup.getValue()[0];
                duplicateSubmitter = dup.getValue()[1];
            } else {
                canonical = ids.get(random.nextInt(ids.size()));
            }
            String text = documents.get(canonical)[0];
            int length = 60 + random.nextInt(41);
            int from = 100 + random.nextInt(text.length() - length - 200); // past the near-duplicate's changed word
            String quote = text.substring(from, from + length);
            int filler = 200 - length - 2;
            String before = words(filler / 2).substring(0, filler / 2);
            String completion = before + " " + quote + " " + words(filler - filler / 2).substring(0, filler - filler / 2);
            list.add(new Planted(record(i, completion), Set.of(documents.get(canonical)[1]), duplicateSubmitter));
        }
        return list;
    }

    /**
     * Throughput side by side, interleaved in chunks of the same records so load swings hit every side alike: the
     * trace without gram filters (a second mapping of the same shards), the trace alone as the stream runs it (with
     * filters), and the operator's whole work (trace + split).
     */
    public Map<String, Object> throughput() throws IOException {
        return throughput(Math.min(200, inferences));
    }

    /** {@link #throughput()} after {@code warmupRecords} untimed records on every side (the workload cycled). */
    public Map<String, Object> throughput(int warmupRecords) throws IOException {
        if (warmupRecords < 0) {
            throw new IllegalArgumentException("the warm-up is a number of records, not " + warmupRecords);
        }
        AttributionSettings settings = settings(1000);
        AttributionCatalog catalog = new AttributionCatalog(KernelTable.engine(Map.of()), lakeRoot(), 60_000);
        Attributor attributor = new Attributor(settings, catalog);
        Attributor referenceAttributor = new Attributor(settings, catalog, FeeSplitter::referenceSplit);
        List<Planted> workload = planted(inferences);
        ShardedIndex index = io.tributary.attribution.trace.IndexCache.at(lakeRoot(), DATANET, 0).orElseThrow();
        long filterWall = System.nanoTime();
        index.buildGramFilters(settings.minSpanTokens());
        filterWall = System.nanoTime() - filterWall;
        List<Path> shardFiles = index.shards().stream().map(Shard::path).toList();
        TraceOptions options = new TraceOptions(settings.minSpanTokens(), settings.maxCount(), Integer.MAX_VALUE);
        long[] cpu = new long[4];
        long[] wall = new long[4];
        long[] thread = new long[4];
        long spans = 0;
        long[] counts = new long[4];
        double truePart = 0;
        double duplicatePart = 0;
        int duplicatesQuoted = 0;
        try (ShardedIndex unfiltered = ShardedIndex.open(shardFiles, index.tokenizer())) {
            // Warm-up: map pages, JIT.
            for (int k = 0; k < warmupRecords; k++) {
                InferenceRecord record = workload.get(k % workload.size()).record();
                attributor.attribute(record);
                referenceAttributor.attribute(record);
                if (k % UNFILTERED_EVERY == 0) {
                    unfiltered.spans(record.completion(), unfiltered.tokenizer().encode(record.completion()), options);
                }
            }
            // Each chunk is timed on one side only, so no side traces records whose filter blocks and suffix-array
            // pages the side before it just pulled into the caches.
            int chunk = 100;
            for (int c = 0; c * chunk < workload.size(); c++) {
                List<Planted> part = workload.subList(c * chunk, Math.min(workload.size(), (c + 1) * chunk));
                int side = c % UNFILTERED_EVERY == UNFILTERED_EVERY - 1 ? 0 : 1 + c % 3;
                long startCpu = cpu();
                long startThread = threadCpu();
                long startWall = System.nanoTime();
                for (Planted planted : part) {
                    String completion = planted.record().completion();
                    switch (side) {
                        case 0 -> unfiltered.spans(completion, unfiltered.tokenizer().encode(completion), options);
                        case 1 -> attributor.spans(index, completion, index.tokenizer().encode(completion));
                        case 2 -> attributor.attribute(planted.record());
                        default -> referenceAttributor.attribute(planted.record());
                    }
                }
                cpu[side] += cpu() - startCpu;
                thread[side] += threadCpu() - startThread;
                wall[side] += System.nanoTime() - startWall;
                counts[side] += part.size();
                if (side == 0) {
                    for (Planted planted : part) {
                        String completion = planted.record().completion();
                        if (!unfiltered.trace(completion, options).spans().equals(index.trace(completion, options).spans())) {
                            throw new IllegalStateException("the traces with and without filters differ for " + completion);
                        }
                    }
                }
            }
        }
        // Fidelity over every record, untimed; the integer split must equal the reference split on each.
        long lines = 0;
        long completionTokens = 0;
        long covered = 0;
        for (Planted planted : workload) {
            Attributor.Attributed done = (Attributor.Attributed) attributor.attribute(planted.record());
            Attributor.Attributed reference = (Attributor.Attributed) referenceAttributor.attribute(planted.record());
            if (!done.split().equals(reference.split())) {
                throw new IllegalStateException("the integer and reference splits differ for " + planted.record().inferenceId());
            }
            lines += done.split().lines().size();
            completionTokens += planted.record().completionTokens();
            covered += done.split().coveredTokens();
            spans += attributor.spans(index, planted.record().completion(),
                    index.tokenizer().encode(planted.record().completion())).size();
            double[] shares = shares(done, planted);
            truePart += shares[0];
            if (!planted.duplicateSubmitter().isEmpty()) {
                duplicatesQuoted++;
                duplicatePart += shares[1];
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("inferences", workload.size());
        result.put("warmup_records", warmupRecords);
        result.put("completion_tokens_mean", (double) completionTokens / workload.size());
        result.put("covered_token_share", (double) covered / completionTokens);
        result.put("inferences_timed_without_filters_trace_only_traced_and_split_reference_split",
                List.of(counts[0], counts[1], counts[2], counts[3]));
        result.put("split_lines_per_inference", (double) lines / workload.size());
        result.put("gram_filter_build_seconds", filterWall / 1e9);
        result.put("gram_filter_heap_bytes", index.gramFilterBytes());
        result.put("trace_without_filters_per_cpu_second", counts[0] / (cpu[0] / 1e9));
        result.put("trace_only_per_cpu_second", counts[1] / (cpu[1] / 1e9));
        result.put("traced_and_split_per_cpu_second", counts[2] / (cpu[2] / 1e9));
        result.put("traced_and_reference_split_per_cpu_second", counts[3] / (cpu[3] / 1e9));
        // The tracing thread's own CPU time: the process figures above also count JIT compiler and GC threads.
        result.put("trace_without_filters_per_thread_cpu_second", counts[0] / (thread[0] / 1e9));
        result.put("trace_only_per_thread_cpu_second", counts[1] / (thread[1] / 1e9));
        result.put("traced_and_split_per_thread_cpu_second", counts[2] / (thread[2] / 1e9));
        result.put("traced_and_reference_split_per_thread_cpu_second", counts[3] / (thread[3] / 1e9));
        result.put("trace_without_filters_per_second_wall", counts[0] / (wall[0] / 1e9));
        result.put("trace_only_per_second_wall", counts[1] / (wall[1] / 1e9));
        result.put("traced_and_split_per_second_wall", counts[2] / (wall[2] / 1e9));
        result.put("traced_and_reference_split_per_second_wall", counts[3] / (wall[3] / 1e9));
        result.put("spans_per_inference", (double) spans / workload.size());
        result.put("fidelity_true_contributor_share_of_covered_pool", truePart / workload.size());
        result.put("fidelity_duplicate_submitter_share", duplicatesQuoted == 0 ? 0.0 : duplicatePart / duplicatesQuoted);
        result.put("planted_quotes_of_near_duplicates", duplicatesQuoted);
        return result;
    }

    /** Of the planted inference's span-credited wei: the share reaching the true contributor, and the duplicate's submitter. */
    private static double[] shares(Attributor.Attributed done, Planted planted) {
        BigInteger span = BigInteger.ZERO;
        BigInteger toTrue = BigInteger.ZERO;
        BigInteger toDuplicate = BigInteger.ZERO;
        for (FeeSplitter.Line line : done.split().lines()) {
            if (line.kind() == FeeSplitter.Kind.SPAN) {
                span = span.add(line.wei());
                if (planted.trueContributors().stream().anyMatch(line.account()::equalsIgnoreCase)) {
                    toTrue = toTrue.add(line.wei());
                }
                if (!planted.duplicateSubmitter().isEmpty() && line.account().equalsIgnoreCase(planted.duplicateSubmitter())) {
                    toDuplicate = toDuplicate.add(line.wei());
                }
            }
        }
        if (span.signum() == 0) {
            return new double[] {0, 0};
        }
        java.math.BigDecimal total = new java.math.BigDecimal(span);
        return new double[] {
            new java.math.BigDecimal(toTrue).divide(total, java.math.MathContext.DECIMAL64).doubleValue(),
            new java.math.BigDecimal(toDuplicate).divide(total, java.math.MathContext.DECIMAL64).doubleValue()};
    }

    /** Append -> committed latency on the real job (embedded MiniCluster, follow mode), one small file at a time. */
    public Map<String, Object> latency(int files, int perFile, long checkpointMs, long gapMs) throws Exception {
        Path log = work.resolve("lake").resolve(InferenceLogFiles.DIRECTORY);
        Files.createDirectories(log);
        JobClient job = AttributionJob.prepare(settings(checkpointMs)).startEmbedded(AttributionJob.Mode.FOLLOW);
        List<Planted> workload = planted(files * perFile);
        Map<String, Long> appended = new HashMap<>();
        Map<String, Long> committed = new HashMap<>();
        KernelTable attributions = KernelTable.reading(KernelTable.engine(Map.of()), lakeRoot(), LakeTable.ATTRIBUTIONS);
        long seenVersion = -1;
        List<Long> versionsSeenAt = new ArrayList<>();
        try {
            // Warm-up: one record through the whole path, so job start-up is not counted as latency.
            Planted warmUp = planted(1).get(0);
            InferenceRecord first = warmUp.record();
            InferenceRecord renamed = new InferenceRecord("warm-up-" + seed, first.servedAt(), first.adapterId(), first.datanet(),
                    first.datanetVersion(), first.baseModelSha256(), first.adapterSha256(), first.payer(), first.apiKeyId(),
                    first.promptTokens(), first.completionTokens(), first.completion(), first.finishReason(), first.feeWei(),
                    first.priceVersion());
            Path warmUpFile = log.resolve(InferenceLogFiles.inProgressName("warmup", 0));
            Files.writeString(warmUpFile, renamed.toJsonLine() + "\n", StandardCharsets.UTF_8);
            Files.move(warmUpFile, log.resolve(InferenceLogFiles.completeName("warmup", 0)));
            long warmUpDeadline = System.currentTimeMillis() + 180_000;
            while (!attributions.exists() && System.currentTimeMillis() < warmUpDeadline) {
                Thread.sleep(50);
            }
            long nextFile = System.currentTimeMillis();
            int written = 0;
            long deadline = Long.MAX_VALUE;
            while (committed.size() < workload.size() && System.currentTimeMillis() < deadline) {
                if (written < files && System.currentTimeMillis() >= nextFile) {
                    List<Planted> batch = workload.subList(written * perFile, (written + 1) * perFile);
                    Path hidden = log.resolve(InferenceLogFiles.inProgressName("bench", written));
                    StringBuilder text = new StringBuilder();
                    for (Planted planted : batch) {
                        text.append(planted.record().toJsonLine()).append('\n');
                    }
                    Files.writeString(hidden, text.toString(), StandardCharsets.UTF_8);
                    Files.move(hidden, log.resolve(InferenceLogFiles.completeName("bench", written)));
                    long now = System.currentTimeMillis();
                    batch.forEach(planted -> appended.put(planted.record().inferenceId(), now));
                    written++;
                    nextFile = now + gapMs;
                    if (written == files) {
                        deadline = now + 120_000;
                    }
                }
                // A listing of the log, not a snapshot: polling every 20 ms must not take the CPU the job needs.
                long newest = attributions.newestCommit().orElse(-1);
                if (newest != seenVersion) {
                    seenVersion = newest;
                    long now = System.currentTimeMillis();
                    versionsSeenAt.add(now);
                    for (Map<String, Object> row : attributions.read(OptionalLong.empty(), List.of("inference_id")).rows()) {
                        committed.putIfAbsent((String) row.get("inference_id"), now);
                    }
                }
                Thread.sleep(20);
            }
        } finally {
            job.cancel().get();
        }
        List<Long> latencies = new ArrayList<>();
        appended.forEach((id, at) -> {
            Long done = committed.get(id);
            if (done != null) {
                latencies.add(done - at);
            }
        });
        Collections.sort(latencies);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("records", appended.size());
        result.put("committed", latencies.size());
        result.put("checkpoint_interval_ms", checkpointMs);
        result.put("file_scan_interval_ms", 100);
        result.put("p50_ms", latencies.isEmpty() ? null : latencies.get(latencies.size() / 2));
        result.put("p99_ms", latencies.isEmpty() ? null : latencies.get(Math.min(latencies.size() - 1, (int) Math.ceil(latencies.size() * 0.99) - 1)));
        result.put("max_ms", latencies.isEmpty() ? null : latencies.get(latencies.size() - 1));
        // How often a commit became visible: the floor under latency whatever the trace costs.
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < versionsSeenAt.size(); i++) {
            gaps.add(versionsSeenAt.get(i) - versionsSeenAt.get(i - 1));
        }
        Collections.sort(gaps);
        result.put("attributions_versions_seen", versionsSeenAt.size());
        result.put("version_gap_p50_ms", gaps.isEmpty() ? null : gaps.get(gaps.size() / 2));
        result.put("version_gap_max_ms", gaps.isEmpty() ? null : gaps.get(gaps.size() - 1));
        return result;
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long threadCpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            row.put((String) keyValues[i], keyValues[i + 1]);
        }
        return row;
    }
}
