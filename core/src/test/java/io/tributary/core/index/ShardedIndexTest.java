package io.tributary.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.core.crypto.Address;
import io.tributary.core.id.ContributionId;
import io.tributary.core.tokenize.ByteTokenizer;
import io.tributary.core.tokenize.Encoding;
import io.tributary.core.tokenize.Tokenizer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedIndexTest {
    private static final Address ALICE = Address.of("0x" + "a1".repeat(20));
    private static final Address BOB = Address.of("0x" + "b2".repeat(20));
    private static final Address CAROL = Address.of("0x" + "c3".repeat(20));

    @TempDir
    Path directory;

    @Test
    void countsEqualABruteForceScanAndNeverCrossDocuments() throws IOException {
        Random random = new Random(21);
        for (int width : new int[] {1, 2, 4}) {
            int alphabet = width == 1 ? 3 : width == 2 ? 5 : 70_000;
            List<List<int[]>> shardDocuments = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                List<int[]> documents = new ArrayList<>();
                for (int d = 0; d < 1 + random.nextInt(6); d++) {
                    documents.add(random.ints(random.nextInt(120), 0, Math.min(alphabet, 4)).map(t -> t * (alphabet / 4)).toArray());
                }
                shardDocuments.add(documents);
                files.add(writeShard("w" + width + "-" + s, documents, width, ALICE));
            }
            try (ShardedIndex index = ShardedIndex.open(files, fixedWidth(width))) {
                for (int round = 0; round < 300; round++) {
                    int length = 1 + random.nextInt(5);
                    int[] query = random.ints(length, 0, 4).map(t -> t * (alphabet / 4)).toArray();
                    long expected = 0;
                    for (List<int[]> documents : shardDocuments) {
                        for (int[] document : documents) {
                            expected += occurrences(document, query);
                        }
                    }
                    assertThat(index.count(query, 0, query.length)).as("width %d query %s", width,
                            java.util.Arrays.toString(query)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void theOccurrencesNarrowedFromALongestMatchSearchEqualAWholeRangeSearch() throws IOException {
        Random random = new Random(5);
        for (int width : new int[] {1, 2, 4}) {
            int scale = width == 4 ? 70_000 : 1;
            List<int[]> documents = new ArrayList<>();
            for (int d = 0; d < 12; d++) {
                documents.add(random.ints(50 + random.nextInt(400), 0, 2 + d % 3).map(t -> t * scale).toArray());
            }
            try (Shard shard = Shard.open(writeShard("narrowed-" + width, documents, width, ALICE))) {
                Shard.Probes probes = new Shard.Probes();
                for (int round = 0; round < 2000; round++) {
                    int[] query = random.ints(1 + random.nextInt(30), 0, 4).map(t -> t * scale).toArray();
                    int from = random.nextInt(query.length);
                    int longest = shard.longestPrefixMatch(query, from, query.length, probes);
                    assertThat(shard.rangeOfMatch(query, from, longest, probes))
                            .as("width %d query %s from %d", width, java.util.Arrays.toString(query), from)
                            .containsExactly(shard.range(query, from, from + longest));
                }
            }
        }
    }

    @Test
    void aQueryAcrossTwoDocumentsDoesNotMatch() throws IOException {
        Path file = writeShard("two", List.of(bytes("abc"), bytes("def")), 1, ALICE);
        try (ShardedIndex index = ShardedIndex.open(List.of(file), new ByteTokenizer())) {
            assertThat(index.count("cd").count()).isZero();
            assertThat(index.count("bc").count()).isEqualTo(1);
            assertThat(index.count("").count()).isZero();
        }
    }

    @Test
    void traceFindsPlantedSpansAndAttributesThemToTheirContributors() throws IOException {
        String mit = "Permission is hereby granted, free of charge, to any person obtaining a copy of this software";
        String apache = "Licensed under the Apache License, Version 2.0 (the \"License\"); you may not use this file";
        String filler = "zq xv jw kk yy qz wx vj";
        Path first = writeDocuments("first", List.of(new Doc(mit, ALICE), new Doc(filler + " one", CAROL)));
        Path second = writeDocuments("second", List.of(new Doc(apache, BOB), new Doc(apache + " twice", CAROL)));
        String query = "Model says: " + mit.substring(0, 60) + " -- and also -- " + apache.substring(10, 70) + "!";
        try (ShardedIndex index = ShardedIndex.open(List.of(first, second), new ByteTokenizer())) {
            TraceResult result = index.trace(query, new TraceOptions(20, 100, 10));
            assertThat(result.spans()).hasSize(2);
            TracedSpan mitSpan = result.spans().stream().filter(s -> s.text().startsWith("Permission")).findFirst()
                    .orElseThrow();
            assertThat(mitSpan.text()).isEqualTo(mit.substring(0, 60));
            assertThat(query.substring(mitSpan.start(), mitSpan.end())).isEqualTo(mit.substring(0, 60));
            assertThat(mitSpan.count()).isEqualTo(1);
            assertThat(mitSpan.contributors()).containsExactly(ALICE);
            assertThat(mitSpan.documents()).containsExactly(new DocumentRef(ContributionId.ofText(mit), ALICE));
            TracedSpan apacheSpan = result.spans().stream().filter(s -> s != mitSpan).findFirst().orElseThrow();
            assertThat(apacheSpan.text()).isEqualTo(apache.substring(10, 70));
            assertThat(apacheSpan.count()).isEqualTo(2);
            assertThat(apacheSpan.contributors()).containsExactly(BOB, CAROL);
            // 60 characters to Alice; 60 split between Bob and Carol.
            assertThat(result.contributors().get(ALICE.value())).isCloseTo(0.5, within(1e-12));
            assertThat(result.contributors().get(BOB.value())).isCloseTo(0.25, within(1e-12));
            assertThat(result.contributors().get(CAROL.value())).isCloseTo(0.25, within(1e-12));
            assertThat(result.contributors().values().stream().mapToDouble(Double::doubleValue).sum())
                    .isCloseTo(1.0, within(1e-12));

            TraceResult frequentOnly = index.trace(query, new TraceOptions(20, 1, 10));
            assertThat(frequentOnly.spans()).extracting(TracedSpan::count).containsExactly(1L);
            assertThat(index.trace("nothing like it", new TraceOptions(20, 100, 10)).contributors()).isEmpty();
        }
    }

    @Test
    void spansOfWhitespaceOrPunctuationEarnNothing() throws IOException {
        String blanks = " ".repeat(40);
        String rule = "-".repeat(40);
        String licence = "Copyright (c) the authors" + blanks + "all rights reserved\n" + rule + "\n"
                + "*/ ... ;; (( )) [[ ]] ... /* and the WARRANTIES OF MERCHANTABILITY apply";
        Path file = writeDocuments("licence", List.of(new Doc(licence, ALICE)));
        // Each piece occurs verbatim in the index and is over 20 tokens long, but none holds 20 letters or digits.
        String quotesNoText = "zq " + blanks + " xv " + rule + " jw */ ... ;; (( )) [[ ]] ... /* kk";
        try (ShardedIndex index = ShardedIndex.open(List.of(file), new ByteTokenizer())) {
            assertThat(index.count(blanks).count()).isEqualTo(1);
            assertThat(index.count(rule).count()).isEqualTo(1);
            TraceResult none = index.trace(quotesNoText, new TraceOptions(20, 100, 10));
            assertThat(none.spans()).isEmpty();
            assertThat(none.contributors()).isEmpty();
            // 27 letters in 31 tokens: kept at 20 and 27, not at 28.
            String words = " WARRANTIES OF MERCHANTABILITY ";
            String quote = "zq" + words + "xv";
            assertThat(index.trace(quote, new TraceOptions(20, 100, 10)).spans())
                    .extracting(TracedSpan::text).containsExactly(words);
            assertThat(index.trace(quote, new TraceOptions(27, 100, 10)).spans()).hasSize(1);
            assertThat(index.trace(quote, new TraceOptions(28, 100, 10)).spans()).isEmpty();
            // Spaces around text belong to the span when it carries enough text, and do not count towards it.
            assertThat(index.trace("zq" + blanks + "all rights reserved xv", new TraceOptions(20, 100, 10)).spans())
                    .isEmpty();
            assertThat(index.trace("zq the authors" + blanks + "all rights reserved\nxv", new TraceOptions(20, 100, 10))
                    .spans()).extracting(TracedSpan::text).containsExactly(" the authors" + blanks + "all rights reserved\n");
        }
    }

    @Test
    void textTokensCountLettersAndDigitsOnly() {
        String text = "a1 \u00e9\u4e2d-\ud83d\ude00_";
        Encoding encoding = new ByteTokenizer().encode(text);
        // a, 1: one byte each; e-acute two bytes; the CJK ideograph three; space, hyphen, emoji and underscore none.
        assertThat(ShardedIndex.textTokens(text, encoding, 0, encoding.size())).isEqualTo(7);
        assertThat(ShardedIndex.textTokens(text, encoding, 2, 3)).isZero();
    }

    private record Doc(String text, Address contributor) {}

    private Path writeDocuments(String name, List<Doc> documents) throws IOException {
        Path file = directory.resolve(name + ".shard");
        List<IndexedDocument> indexed = documents.stream().map(d -> new IndexedDocument(ContributionId.ofText(d.text()),
                d.contributor(), new ByteTokenizer().encode(d.text()).tokens())).toList();
        try (OutputStream out = Files.newOutputStream(file)) {
            ShardWriter.write(indexed, 1, out);
        }
        return file;
    }

    private Path writeShard(String name, List<int[]> documents, int width, Address contributor) throws IOException {
        Path file = directory.resolve(name + ".shard");
        List<IndexedDocument> indexed = new ArrayList<>();
        for (int d = 0; d < documents.size(); d++) {
            indexed.add(new IndexedDocument(ContributionId.ofText(name + d), contributor, documents.get(d)));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            ShardWriter.write(indexed, width, out);
        }
        assertThat(Shard.open(file).tokenCount())
                .isEqualTo(documents.stream().mapToLong(d -> d.length + 1).sum());
        return file;
    }

    private static int[] bytes(String text) {
        return new ByteTokenizer().encode(text).tokens();
    }

    private static long occurrences(int[] document, int[] query) {
        long count = 0;
        outer:
        for (int i = 0; i + query.length <= document.length; i++) {
            for (int j = 0; j < query.length; j++) {
                if (document[i + j] != query[j]) {
                    continue outer;
                }
            }
            count++;
        }
        return count;
    }

    private static Tokenizer fixedWidth(int width) {
        return new Tokenizer() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public int vocabularySize() {
                return width == 1 ? 255 : width == 2 ? 65_535 : 1 << 20;
            }

            @Override
            public Encoding encode(String text) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
