package io.tributary.indexing.influence.bench;

import io.tributary.core.hash.Hashing;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The noisy-label Datanet of {@code bench influence}: short question-and-answer contributions about real SPDX
 * licenses (identifier and name, three phrasings per license), a seeded share of them given the answer of
 * another license. Contributors are spread round robin, so no contributor is a shortcut to the planted ones.
 */
public final class NoisyLicenseQuestions {
    private static final String[] TEMPLATES = {
        "Q: What is the SPDX identifier of the %2$s? A: %1$s",
        "Q: Which license does the SPDX identifier %1$s name? A: %2$s",
        "The %2$s is written %1$s in SPDX license expressions.",
    };

    private NoisyLicenseQuestions() {}

    /** One generated contribution; {@code planted} when its answer belongs to another license. */
    public record Question(String text, String contributor, boolean planted) {
        public String contributionId() {
            return Hashing.sha256Hex(text);
        }
    }

    /**
     * Questions about {@code licenses} (SPDX id to name, taken in id order), {@code noise} of them planted, with
     * {@code contributors} round robin. Deterministic for a seed.
     */
    public static List<Question> generate(Map<String, String> licenses, int count, double noise, List<String> contributors,
                                          long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Map.Entry<String, String>> chosen = choose(licenses, count, random);
        List<Question> questions = new ArrayList<>();
        Set<String> texts = new LinkedHashSet<>();
        int index = 0;
        for (int l = 0; l < chosen.size(); l++) {
            for (String template : TEMPLATES) {
                boolean planted = random.nextDouble() < noise;
                Map.Entry<String, String> answer = chosen.get(l);
                String text;
                if (planted) {
                    Map.Entry<String, String> other = chosen.get((l + 1 + random.nextInt(chosen.size() - 1)) % chosen.size());
                    // The wrong half is the answer: the id for a name question, the name for an id question.
                    text = template.startsWith("Q: Which")
                            ? String.format(template, answer.getKey(), other.getValue())
                            : String.format(template, other.getKey(), answer.getValue());
                } else {
                    text = String.format(template, answer.getKey(), answer.getValue());
                }
                if (texts.add(text)) {
                    questions.add(new Question(text, contributors.get(index++ % contributors.size()), planted));
                }
            }
        }
        return questions;
    }

    /**
     * A clean validation set about the same licenses as {@link #generate} with the same arguments: two phrasings that
     * no training contribution uses, every answer right. A wrong training answer pulls the adapter away from these.
     */
    public static List<Question> validation(Map<String, String> licenses, int count, List<String> contributors, long seed) {
        List<Map.Entry<String, String>> chosen = choose(licenses, count, new SplittableRandom(seed));
        List<Question> out = new ArrayList<>();
        for (Map.Entry<String, String> license : chosen) {
            for (String template : VALIDATION_TEMPLATES) {
                out.add(new Question(String.format(template, license.getKey(), license.getValue()),
                        contributors.get(out.size() % contributors.size()), false));
            }
        }
        return out;
    }

    private static final String[] VALIDATION_TEMPLATES = {
        "Q: Name the SPDX identifier of the %2$s. A: %1$s",
        "Q: The SPDX identifier %1$s stands for which license? A: %2$s",
    };

    /** The licenses (id to name) that {@link #generate} asks about with the same arguments. */
    public static Map<String, String> chosen(Map<String, String> licenses, int count, long seed) {
        Map<String, String> out = new TreeMap<>();
        choose(licenses, count, new SplittableRandom(seed)).forEach(entry -> out.put(entry.getKey(), entry.getValue()));
        return out;
    }

    /** {@code count} licenses in a seeded shuffle of the id order. */
    private static List<Map.Entry<String, String>> choose(Map<String, String> licenses, int count, SplittableRandom random) {
        List<Map.Entry<String, String>> chosen = new ArrayList<>(new TreeMap<>(licenses).entrySet());
        for (int i = chosen.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Map.Entry<String, String> swap = chosen.get(i);
            chosen.set(i, chosen.get(j));
            chosen.set(j, swap);
        }
        return chosen.subList(0, Math.min(count, chosen.size()));
    }
}
