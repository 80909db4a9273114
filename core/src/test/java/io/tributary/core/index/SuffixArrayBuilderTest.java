package io.tributary.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SuffixArrayBuilderTest {
    @Test
    void randomTextsOverSmallAlphabetsEqualANaiveSort() {
        Random random = new Random(11);
        for (int round = 0; round < 400; round++) {
            int n = random.nextInt(300);
            int k = 1 + random.nextInt(4);
            int[] text = random.ints(n, 0, k).toArray();
            assertThat(SuffixArrayBuilder.build(text, n, k)).as("round %d: %s", round, Arrays.toString(text))
                    .containsExactly(naive(text));
        }
    }

    @Test
    void periodicTextsEqualANaiveSort() {
        Random random = new Random(12);
        for (int round = 0; round < 100; round++) {
            int period = 1 + random.nextInt(7);
            int[] unit = random.ints(period, 0, 3).toArray();
            int n = random.nextInt(500);
            int[] text = new int[n];
            for (int i = 0; i < n; i++) {
                text[i] = unit[i % period];
            }
            assertThat(SuffixArrayBuilder.build(text, n, 3)).as("period %s", Arrays.toString(unit))
                    .containsExactly(naive(text));
        }
    }

    @Test
    void singleLetterTextsSortFromTheEnd() {
        for (int n : new int[] {0, 1, 2, 3, 17, 1000}) {
            int[] text = new int[n];
            Arrays.fill(text, 5);
            assertThat(SuffixArrayBuilder.build(text, n, 6)).containsExactly(naive(text));
        }
    }

    @Test
    void largeAlphabetsEqualANaiveSort() {
        Random random = new Random(13);
        for (int round = 0; round < 50; round++) {
            int n = 1 + random.nextInt(2000);
            int k = 1 + random.nextInt(300_000);
            int[] text = random.ints(n, 0, k).toArray();
            // Repeat a stretch so that the recursion has equal LMS substrings to name.
            int copy = Math.min(n / 2, 50);
            System.arraycopy(text, 0, text, n - copy, copy);
            assertThat(SuffixArrayBuilder.build(text, n, k)).containsExactly(naive(text));
        }
    }

    @Test
    void bytesOfRealTextEqualANaiveSort() {
        byte[] text = ("the quick brown fox jumps over the lazy dog; the quick brown fox sleeps. "
                + "Permission is hereby granted, free of charge, to any person obtaining a copy ").repeat(7)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(SuffixArrayBuilder.build(text)).containsExactly(naive(unsigned(text)));
    }

    @Test
    void randomBytesIncludingHighValuesEqualANaiveSort() {
        // The byte top level reads bytes as unsigned: values above 127 must sort after the others.
        Random random = new Random(14);
        for (int round = 0; round < 400; round++) {
            int n = round < 40 ? round % 4 : random.nextInt(400);
            int k = 1 + random.nextInt(round % 2 == 0 ? 2 : 256);
            int base = random.nextInt(257 - k);
            byte[] text = new byte[n];
            int[] symbols = new int[n];
            for (int i = 0; i < n; i++) {
                symbols[i] = base + random.nextInt(k);
                text[i] = (byte) symbols[i];
            }
            assertThat(SuffixArrayBuilder.build(text)).as("round %d: %s", round, Arrays.toString(symbols))
                    .containsExactly(naive(symbols));
        }
    }

    @Test
    void repeatedBytesWithSeparatorsEqualANaiveSort() {
        for (int n : new int[] {0, 1, 2, 3, 4, 5, 64, 65, 200}) {
            int[] symbols = new int[n];
            byte[] text = new byte[n];
            for (int i = 0; i < n; i++) {
                symbols[i] = i % 9 == 8 ? 0 : 0xE9;
                text[i] = (byte) symbols[i];
            }
            assertThat(SuffixArrayBuilder.build(text)).as("n %d", n).containsExactly(naive(symbols));
        }
    }

    @Test
    void wordLikeBytesWithLongRunsAndZeroBytesEqualANaiveSort() {
        // Natural-like text: words, runs of spaces (long LMS substrings, ordered past their first seven symbols),
        // and zero bytes, whose symbol (0, L-type) equals the padding of a key; the last LMS substring then ties with
        // others until the text decides.
        Random random = new Random(15);
        for (int round = 0; round < 300; round++) {
            int n = random.nextInt(round % 10 == 0 ? 4000 : 400);
            byte[] text = new byte[n];
            for (int i = 0; i < n; ) {
                int kind = random.nextInt(10);
                int length = 1 + random.nextInt(kind == 0 ? 60 : 8);
                for (int j = 0; j < length && i < n; j++, i++) {
                    text[i] = (byte) (kind == 0 ? ' ' : kind == 1 ? 0 : kind == 2 ? 0xFF : 'a' + random.nextInt(3));
                }
            }
            int[] symbols = unsigned(text);
            assertThat(SuffixArrayBuilder.build(text)).as("round %d: %s", round, Arrays.toString(symbols))
                    .containsExactly(naive(symbols));
        }
    }

    @Test
    void periodicBytesEndingInZerosEqualANaiveSort() {
        for (String unit : new String[] {"\0\0a", "a\0", "\0a\0\0", "ba\0\0\0\0\0\0\0\0"}) {
            for (int n = 0; n < 120; n++) {
                int[] symbols = new int[n];
                byte[] text = new byte[n];
                for (int i = 0; i < n; i++) {
                    symbols[i] = unit.charAt(i % unit.length());
                    text[i] = (byte) symbols[i];
                }
                assertThat(SuffixArrayBuilder.build(text)).as("%s x %d", unit, n).containsExactly(naive(symbols));
            }
        }
    }

    @Test
    void bytesWithMoreThanHalfAMillionEqualLmsSubstringsEqualTheIntegerPath() {
        // Over 2^19 LMS substrings share their first two symbols ("ab") and most share their whole key; the int path
        // (induced first stage) is the independent reference at this size.
        Random random = new Random(16);
        int n = 1_500_000;
        byte[] text = new byte[n];
        int[] symbols = new int[n];
        for (int i = 0; i < n; i++) {
            text[i] = (byte) (i % 2 == 0 ? 'b' : random.nextInt(50) == 0 ? 'a' + random.nextInt(4) : 'a');
            symbols[i] = text[i] & 0xFF;
        }
        assertThat(SuffixArrayBuilder.build(text)).isEqualTo(SuffixArrayBuilder.build(symbols, n, 256));
    }

    @Test
    void bytesWithHundredsOfThousandsOfDistinctLmsSubstringsEqualTheIntegerPath() {
        // Random bytes give LMS substrings that are nearly all distinct: 460,968, about 1,800 in each of the 256
        // hash partitions, so most partitions' tables of distinct keys outgrow their first 2,048 slots (1,433 keys at
        // 70 %) while ids are handed out; runs of one byte and long words add flagged keys that tie on their first
        // seven symbols. The int path (induced first stage, no keys) is the reference.
        Random random = new Random(17);
        int n = 2_000_000;
        byte[] text = new byte[n];
        for (int i = 0; i < n; ) {
            int kind = random.nextInt(20);
            int length = kind == 0 ? 9 + random.nextInt(40) : 1;
            byte value = (byte) random.nextInt(256);
            for (int j = 0; j < length && i < n; j++, i++) {
                text[i] = kind == 0 && j % 5 != 4 ? value : (byte) random.nextInt(256);
            }
        }
        assertThat(SuffixArrayBuilder.build(text)).isEqualTo(SuffixArrayBuilder.build(unsigned(text), n, 256));
    }

    @Test
    void longTextsAroundTheEndOfTheBranchFreeKeysEqualANaiveSort() {
        // Keys of substrings within 72 bytes of the end are built symbol by symbol; those before, from one 8-byte
        // read: texts just longer than that, with short and long substrings on both sides of the boundary.
        Random random = new Random(18);
        for (int round = 0; round < 200; round++) {
            int n = 60 + random.nextInt(120);
            byte[] text = new byte[n];
            int[] symbols = new int[n];
            for (int i = 0; i < n; i++) {
                symbols[i] = random.nextInt(8) == 0 ? ' ' : 'a' + random.nextInt(round % 3 + 2);
                text[i] = (byte) symbols[i];
            }
            assertThat(SuffixArrayBuilder.build(text)).as("round %d", round).containsExactly(naive(symbols));
        }
    }

    /** The bytes as unsigned symbols, for the int path and the naive sort. */
    static int[] unsigned(byte[] text) {
        int[] symbols = new int[text.length];
        for (int i = 0; i < text.length; i++) {
            symbols[i] = text[i] & 0xFF;
        }
        return symbols;
    }

    static int[] naive(int[] text) {
        Integer[] order = new Integer[text.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int i = a;
            int j = b;
            while (i < text.length && j < text.length) {
                if (text[i] != text[j]) {
                    return Integer.compare(text[i], text[j]);
                }
                i++;
                j++;
            }
            return i == text.length ? (j == text.length ? 0 : -1) : 1;
        });
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }
}
