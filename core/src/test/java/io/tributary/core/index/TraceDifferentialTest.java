package io.tributary.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.crypto.Address;
import io.tributary.core.id.ContributionId;
import io.tributary.core.tokenize.ByteTokenizer;
import io.tributary.core.tokenize.Encoding;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace (skipping, gram filters, prefix-sharing binary search) against a brute-force reference that scans every
 * document for every query position: same maximal spans, counts, documents and contributors, with and without
 * filters, on random token streams of small alphabets and on natural text, over several shards. The query's text
 * has letters and non-letters (spaces, punctuation), so the rule that a kept span carries text is checked too.
 */
class TraceDifferentialTest {
    private static final Address[] CONTRIBUTORS = {
        Address.of("0x" + "a1".repeat(20)), Address.of("0x" + "b2".repeat(20)), Address.of("0x" + "c3".repeat(20))};

    @TempDir
    Path directory;

    /** A document as the reference sees it. */
    private record Document(ContributionId id, Address contributor, int[] tokens) {}

    /** The spans as the reference defines them, ordered by start. */
    private record Expected(int start, int end, long count, List<DocumentRef> documents, List<Address> contributors) {}

    @Test
    void randomTokensOfSmallAlphabetsMatchTheReference() throws IOException {
        Random random = new Random(7);
        for (int width : new int[] {1, 2, 4}) {
            int scale = width == 1 ? 1 : width == 2 ? 1000 : 70_000;
            for (int round = 0; round < 4; round++) {
                int alphabet = 2 + random.nextInt(3);
                List<List<Document>> shards = new ArrayList<>();
                for (int s = 0; s < 1 + random.nextInt(4); s++) {
                    List<Document> documents = new ArrayList<>();
                    for (int d = 0; d < 1 + random.nextInt(8); d++) {
                        int[] tokens = random.ints(random.nextInt(300), 0, alphabet).map(t -> t * scale).toArray();
                        documents.add(document("w" + width + "r" + round + "s" + s + "d" + d, tokens, random));
                    }
                    shards.add(documents);
                }
                List<int[]> queries = new ArrayList<>();
                for (int q = 0; q < 15; q++) {
                    queries.add(stitched(shards, random, 40 + random.nextInt(60), alphabet, scale));
                }
                // Tokens read as space, letter, full stop, letter: spans of all kinds of text content.
                compare(shards, queries, width, random, token -> " a.b".charAt(token / scale));
            }
        }
    }

    @Test
    void naturalTextMatchesTheReference() throws IOException {
        // This module's own sources: real text with real repetition (imports, Javadoc phrases, code idioms).
        List<String> paragraphs = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/tributary/core/index"))) {
            for (Path file : files.sorted().toList()) {
                paragraphs.addAll(Arrays.asList(Files.readString(file, StandardCharsets.UTF_8).split("\n\n")));
            }
        }
        Random random = new Random(11);
        List<List<Document>> shards = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (String paragraph : paragraphs) {
            if (!paragraph.isBlank()) {
                shards.get(random.nextInt(3)).add(document(paragraph, new ByteTokenizer().encode(paragraph).tokens(), random));
            }
        }
        List<int[]> queries = new ArrayList<>();
        for (int q = 0; q < 20; q++) {
            queries.add(stitched(shards, random, 120, 128, 1));
        }
        compare(shards, queries, 1, random, token -> (char) token);
    }

    @Test
    void theFilterNeverMissesAGramAndRarelyAdmitsAnAbsentOne() throws IOException {
        Random random = new Random(3);
        int[] tokens = random.ints(50_000, 0, 200).toArray();
        Path file = write("filter", List.of(document("filter", tokens, random)), 1);
        try (Shard shard = Shard.open(file)) {
            GramFilter filter = GramFilter.build(shard, 8);
            long[] hashes = GramFilter.hashes(tokens, 8);
            assertThat(hashes).hasSize(tokens.length - 7);
            for (long hash : hashes) {
                assertThat(filter.mayContain(hash)).isTrue();
            }
            int admitted = 0;
            int trials = 20_000;
            for (int t = 0; t < trials; t++) {
                // Token 250 never occurs in the shard, so no gram holding it does.
                int[] absent = random.ints(8, 0, 200).toArray();
                absent[random.nextInt(8)] = 250;
                if (filter.mayContain(GramFilter.hashes(absent, 8)[0])) {
                    admitted++;
                }
            }
            assertThat((double) admitted / trials).isLessThan(0.02);
        }
    }

    private void compare(List<List<Document>> shardDocuments, List<int[]> queries, int width, Random random,
                         IntFunction<Character> character) throws IOException {
        List<Path> files = new ArrayList<>();
        for (List<Document> documents : shardDocuments) {
            files.add(write("shard-" + files.size() + "-" + random.nextLong(), documents, width));
        }
        try (ShardedIndex plain = ShardedIndex.open(files, new ByteTokenizer());
             ShardedIndex filtered = ShardedIndex.open(files, new ByteTokenizer())) {
            int spans = 0;
            for (int[] query : queries) {
                int minTokens = 1 + random.nextInt(12);
                long maxCount = random.nextBoolean() ? 1 + random.nextInt(3) : 1000;
                // Filters of the span length, of shorter grams, and of longer ones (which the trace must not use).
                filtered.buildGramFilters(Math.max(1, minTokens - random.nextInt(3) + (random.nextInt(5) == 0 ? 4 : 0)));
                TraceOptions options = new TraceOptions(minTokens, maxCount, Integer.MAX_VALUE);
                StringBuilder characters = new StringBuilder();
                for (int token : query) {
                    characters.append(character.apply(token));
                }
                String text = characters.toString();
                List<Expected> expected = reference(shardDocuments, query, text, options);
                spans += expected.size();
                Encoding encoding = identity(query);
                for (ShardedIndex index : List.of(plain, filtered)) {
                    List<Expected> actual = index.trace(text, encoding, options).spans().stream()
                            .sorted(Comparator.comparingInt(TracedSpan::start))
                            .map(span -> new Expected(span.start(), span.end(), span.count(), span.documents(),
                                    span.contributors()))
                            .toList();
                    assertThat(actual).as("query %s, min %d, max-count %d", Arrays.toString(query), minTokens, maxCount)
                            .isEqualTo(expected);
                }
                assertThat(filtered.trace(text, encoding, options).contributors())
                        .isEqualTo(plain.trace(text, encoding, options).contributors());
            }
            assertThat(spans).as("the queries quote the shards, so the comparison is not of empty lists")
                    .isGreaterThanOrEqualTo(queries.size());
        }
    }

    /**
     * The definition, by brute force: longest match per position, then the maximal-span rule, then text content
     * ({@code text}'s character {@code i} is token {@code i}'s), then counts.
     */
    private static List<Expected> reference(List<List<Document>> shards, int[] query, String text, TraceOptions options) {
        int m = query.length;
        List<Expected> spans = new ArrayList<>();
        int reach = 0;
        for (int i = 0; i < m; i++) {
            int longest = 0;
            for (List<Document> documents : shards) {
                for (Document document : documents) {
                    for (int p = 0; p < document.tokens().length; p++) {
                        int length = 0;
                        while (i + length < m && p + length < document.tokens().length
                                && document.tokens()[p + length] == query[i + length]) {
                            length++;
                        }
                        longest = Math.max(longest, length);
                    }
                }
            }
            if (longest < options.minTokens() || i + longest <= reach) {
                continue;
            }
            reach = i + longest;
            if (text.substring(i, i + longest).chars().filter(Character::isLetterOrDigit).count() < options.minTokens()) {
                continue;
            }
            int[] span = Arrays.copyOfRange(query, i, i + longest);
            long count = 0;
            List<DocumentRef> holding = new ArrayList<>();
            TreeSet<Address> contributors = new TreeSet<>();
            for (List<Document> documents : shards) {
                for (Document document : documents) {
                    long inDocument = occurrences(document.tokens(), span);
                    count += inDocument;
                    if (inDocument > 0) {
                        holding.add(new DocumentRef(document.id(), document.contributor()));
                        contributors.add(document.contributor());
                    }
                }
            }
            if (count <= options.maxCount()) {
                spans.add(new Expected(i, i + longest, count, holding, List.copyOf(contributors)));
            }
        }
        return spans;
    }

    /**
     * A query of runs copied from random documents (so spans exist, some ending exactly at a document's end, some
     * running into the next document's start, which must not match across the separator) and random tokens.
     */
    private static int[] stitched(List<List<Document>> shards, Random random, int length, int alphabet, int scale) {
        int[] query = new int[length];
        int at = 0;
        while (at < length) {
            List<Document> documents = shards.get(random.nextInt(shards.size()));
            int kind = random.nextInt(4);
            if (kind == 0 || documents.isEmpty()) {
                int run = 1 + random.nextInt(6);
                for (int r = 0; r < run && at < length; r++) {
                    query[at++] = random.nextInt(alphabet) * scale;
                }
                continue;
            }
            int d = random.nextInt(documents.size());
            int[] tokens = documents.get(d).tokens();
            if (tokens.length == 0) {
                continue;
            }
            int from = random.nextInt(tokens.length);
            int run = kind == 1 ? tokens.length - from : 1 + random.nextInt(Math.min(60, tokens.length - from));
            for (int r = 0; r < run && at < length; r++) {
                query[at++] = tokens[from + r];
            }
            if (kind == 1 && d + 1 < documents.size()) {
                int[] next = documents.get(d + 1).tokens();
                for (int r = 0; r < Math.min(next.length, 20) && at < length; r++) {
                    query[at++] = next[r];
                }
            }
        }
        return query;
    }

    private static Document document(String name, int[] tokens, Random random) {
        return new Document(ContributionId.ofText(name), CONTRIBUTORS[random.nextInt(CONTRIBUTORS.length)], tokens);
    }

    private Path write(String name, List<Document> documents, int width) throws IOException {
        Path file = directory.resolve(name + ".shard");
        List<IndexedDocument> indexed = documents.stream()
                .map(d -> new IndexedDocument(d.id(), d.contributor(), d.tokens())).toList();
        try (OutputStream out = Files.newOutputStream(file)) {
            ShardWriter.write(indexed, width, out);
        }
        return file;
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

    private static long occurrences(int[] document, int[] query) {
        long count = 0;
        for (int i = 0; i + query.length <= document.length; i++) {
            if (Arrays.equals(document, i, i + query.length, query, 0, query.length)) {
                count++;
            }
        }
        return count;
    }
}
