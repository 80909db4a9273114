package io.tributary.indexing.dedup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A planted near-duplicate benchmark: real documents plus edited copies of each (word deletions,
 * insertions, substitutions and swaps at a known rate, or case and white space changes only), the exact
 * set of pairs whose shingle Jaccard reaches the threshold, and the recall and precision of a dedup
 * result against that truth. Sources come first in the ingest order, then the copies in seeded order.
 */
public final class PlantedCorpus {
    /** Word edit rates of the copies: chosen so that Jaccard of 5-word shingles straddles 0.8. */
    static final double[] EDIT_RATES = {0.0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08};

    private final List<String> texts;

    private PlantedCorpus(List<String> texts) {
        this.texts = List.copyOf(texts);
    }

    /** {@code copies} edited copies of each source; exact repeats are dropped (they share an id). */
    public static PlantedCorpus generate(List<String> sources, int copies, long seed) {
        Random random = new Random(seed);
        Set<String> distinct = new LinkedHashSet<>(sources);
        List<String> edited = new ArrayList<>();
        for (String source : sources) {
            for (int copy = 0; copy < copies; copy++) {
                double rate = EDIT_RATES[random.nextInt(EDIT_RATES.length)];
                edited.add(rate == 0.0 ? restyle(source, random) : editWords(source, rate, random));
            }
        }
        Collections.shuffle(edited, random);
        distinct.addAll(edited);
        return new PlantedCorpus(new ArrayList<>(distinct));
    }

    public List<String> texts() {
        return texts;
    }

    /** Changes of case and white space only: a normalized duplicate of the source. */
    static String restyle(String text, Random random) {
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            String styled = switch (random.nextInt(3)) {
                case 0 -> line.toUpperCase(Locale.ROOT);
                case 1 -> line.toLowerCase(Locale.ROOT);
                default -> line;
            };
            out.append(styled.replace(" ", random.nextBoolean() ? "  " : " ")).append(random.nextBoolean() ? "\n" : "\n\n");
        }
        return out.toString();
    }

    /** Each white-space separated word is, with probability {@code rate}, deleted, replaced, duplicated or swapped. */
    static String editWords(String text, double rate, Random random) {
        String[] words = text.split("\\s+");
        List<String> out = new ArrayList<>(words.length + 8);
        for (int i = 0; i < words.length; i++) {
            if (random.nextDouble() >= rate) {
                out.add(words[i]);
                continue;
            }
            switch (random.nextInt(4)) {
                case 0 -> { }
                case 1 -> out.add(words[random.nextInt(words.length)] + "x");
                case 2 -> {
                    out.add(words[i]);
                    out.add(words[random.nextInt(words.length)]);
                }
                default -> {
                    if (i + 1 < words.length) {
                        out.add(words[i + 1]);
                        out.add(words[i]);
                        i++;
                    } else {
                        out.add(words[i]);
                    }
                }
            }
        }
        return String.join(" ", out);
    }

    /** Where dedup put one text (indexes into {@link #texts()}): its canonical text and cluster. */
    public record Assignment(int text, int canonical, long cluster) {}

    /**
     * Scores of a dedup result against the exact truth. A true pair has shingle Jaccard at least the threshold.
     * {@link #recall()}: true pairs caught, meaning not both texts stayed canonical (the canonical corpus keeps
     * at most one of them). {@link #precision()}: duplicates whose Jaccard to their canonical really reaches
     * the threshold (a wrongly demoted text would lose its contributor's credit). {@link #clusterRecall()}:
     * true pairs in one cluster; {@link #pairPrecision()}: pairs sharing a cluster that are true pairs.
     */
    public record Evaluation(int texts, long truePairs, long caughtPairs, long clusteredTruePairs,
            long clusteredPairs, long duplicates, long trueDuplicates) {
        public double recall() {
            return ratio(caughtPairs, truePairs);
        }

        public double precision() {
            return ratio(trueDuplicates, duplicates);
        }

        public double clusterRecall() {
            return ratio(clusteredTruePairs, truePairs);
        }

        public double pairPrecision() {
            return ratio(clusteredTruePairs, clusteredPairs);
        }
    }

    public Evaluation evaluate(DedupSettings settings, List<Assignment> assignments) {
        long[][] shingles = new long[texts.size()][];
        for (int i = 0; i < shingles.length; i++) {
            shingles[i] = WordShingles.of(TextNormalizer.normalize(texts.get(i)), settings.shingleSize());
        }
        long[] cluster = new long[texts.size()];
        boolean[] canonical = new boolean[texts.size()];
        Map<Long, Long> clusterSizes = new HashMap<>();
        long duplicates = 0;
        long trueDuplicates = 0;
        for (Assignment assignment : assignments) {
            cluster[assignment.text()] = assignment.cluster();
            clusterSizes.merge(assignment.cluster(), 1L, Long::sum);
            canonical[assignment.text()] = assignment.canonical() == assignment.text();
            if (!canonical[assignment.text()]) {
                duplicates++;
                if (Jaccard.similarity(shingles[assignment.text()], shingles[assignment.canonical()])
                        >= settings.threshold()) {
                    trueDuplicates++;
                }
            }
        }
        long clusteredPairs = clusterSizes.values().stream().mapToLong(size -> size * (size - 1) / 2).sum();
        long truePairs = 0;
        long caughtPairs = 0;
        long clusteredTruePairs = 0;
        for (int[] pair : truePairs(shingles, settings.threshold())) {
            truePairs++;
            if (!(canonical[pair[0]] && canonical[pair[1]])) {
                caughtPairs++;
            }
            if (cluster[pair[0]] == cluster[pair[1]]) {
                clusteredTruePairs++;
            }
        }
        return new Evaluation(texts.size(), truePairs, caughtPairs, clusteredTruePairs, clusteredPairs,
                duplicates, trueDuplicates);
    }

    /** Every pair with Jaccard at least {@code threshold}, by exact comparison of the pairs sizes allow. */
    static List<int[]> truePairs(long[][] shingles, double threshold) {
        Integer[] bySize = new Integer[shingles.length];
        for (int i = 0; i < bySize.length; i++) {
            bySize[i] = i;
        }
        java.util.Arrays.sort(bySize, (x, y) -> Integer.compare(shingles[x].length, shingles[y].length));
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < bySize.length; i++) {
            long[] small = shingles[bySize[i]];
            for (int j = i + 1; j < bySize.length; j++) {
                long[] large = shingles[bySize[j]];
                // Sorted by size: once the size ratio rules a pair out, it rules out every later one.
                if (Jaccard.upperBound(small.length, large.length) < threshold) {
                    break;
                }
                if (Jaccard.similarity(small, large) >= threshold) {
                    pairs.add(new int[] {bySize[i], bySize[j]});
                }
            }
        }
        return pairs;
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 1.0 : (double) part / whole;
    }
}
