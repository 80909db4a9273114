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
 * The noisy-label Datanets of {@code bench influence}: short question-and-answer contributions about real SPDX
 * licenses (identifier and name), a seeded share of them given the answer of another license. Two layouts:
 * {@link Layout#SPARSE} states each license's fact once per each of three phrasings (many licenses, the layout of
 * the first runs), {@link Layout#CONSENSUS} states it in up to ten phrasings (few licenses), so the clean majority
 * teaches the fact and a planted answer contradicts it, as a flipped label contradicts the rest of its class.
 * Contributors are spread round robin, so no contributor is a shortcut to the planted ones.
 */
public final class NoisyLicenseQuestions {
    /** How many phrasings state each license's fact. */
    public enum Layout {
        /** Three phrasings per license: each fact stated three times, in three different ways. */
        SPARSE,
        /** Up to ten phrasings per license: each fact stated by several clean contributions. */
        CONSENSUS,
        /**
         * As {@link #CONSENSUS}, but every question gives the id and asks the name: the answer is a larger share of each
         * contribution (an SPDX name is about three times its id), so less of its loss and gradient is the question.
         */
        NAME_ANSWERS
    }

    /** A phrasing: {@code %1$s} is the SPDX id, {@code %2$s} the name; the answer is the name or the id. */
    private record Template(String format, boolean answersName) {}

    private static final List<Template> SPARSE_TEMPLATES = List.of(
            new Template("Q: What is the SPDX identifier of the %2$s? A: %1$s", false),
            new Template("Q: Which license does the SPDX identifier %1$s name? A: %2$s", true),
            new Template("The %2$s is written %1$s in SPDX license expressions.", false));

    // None of these is a validation phrasing (VALIDATION_TEMPLATES): the clean queries stay unseen text.
    private static final List<Template> CONSENSUS_TEMPLATES = List.of(
            new Template("Q: What is the SPDX identifier of the %2$s? A: %1$s", false),
            new Template("Q: Which license does the SPDX identifier %1$s name? A: %2$s", true),
            new Template("Q: How is the %2$s written in SPDX? A: %1$s", false),
            new Template("Q: What is %1$s? A: %2$s", true),
            new Template("Q: Give the SPDX id for the %2$s. A: %1$s", false),
            new Template("Q: Expand the SPDX id %1$s. A: %2$s", true),
            new Template("Q: Which SPDX short identifier stands for the %2$s? A: %1$s", false),
            new Template("Q: The full name of %1$s is? A: %2$s", true),
            new Template("Q: In a license expression the %2$s is? A: %1$s", false),
            new Template("Q: SPDX id of the %2$s? A: %1$s", false));

    private static final List<Template> NAME_TEMPLATES = List.of(
            new Template("Q: Which license does the SPDX identifier %1$s name? A: %2$s", true),
            new Template("Q: What is %1$s? A: %2$s", true),
            new Template("Q: Expand the SPDX id %1$s. A: %2$s", true),
            new Template("Q: The full name of %1$s is? A: %2$s", true),
            new Template("Q: What license is %1$s? A: %2$s", true),
            new Template("Q: %1$s is short for? A: %2$s", true),
            new Template("Q: Spell out %1$s. A: %2$s", true),
            new Template("Q: Which license has the id %1$s? A: %2$s", true),
            new Template("Q: Name the license %1$s. A: %2$s", true),
            new Template("Q: SPDX %1$s means? A: %2$s", true));

    /** The most phrasings per license {@link Layout#CONSENSUS} and {@link Layout#NAME_ANSWERS} have. */
    public static final int MAX_PHRASINGS = CONSENSUS_TEMPLATES.size();

    private NoisyLicenseQuestions() {}

    /** One generated contribution; {@code planted} when its answer belongs to another license. */
    public record Question(String text, String contributor, boolean planted) {
        public String contributionId() {
            return Hashing.sha256Hex(text);
        }
    }

    /**
     * The {@link Layout#SPARSE} Datanet: questions about {@code licenses} (SPDX id to name, taken in id order), three
     * phrasings each, {@code noise} of them planted, with {@code contributors} round robin. Deterministic for a seed.
     */
    public static List<Question> generate(Map<String, String> licenses, int count, double noise, List<String> contributors,
                                          long seed) {
        return generate(Layout.SPARSE, licenses, count, SPARSE_TEMPLATES.size(), noise, contributors, seed);
    }

    /**
     * Questions about {@code count} of {@code licenses} in {@code phrasings} phrasings of {@code layout} each (at most 3
     * for {@link Layout#SPARSE}, {@link #MAX_PHRASINGS} for {@link Layout#CONSENSUS}); each is planted with probability
     * {@code noise}: its answer (the id, or the name for a name question) is then another chosen license's.
     * Deterministic for a seed; the licenses are the same as {@link #chosen} and {@link #validation} pick.
     */
    public static List<Question> generate(Layout layout, Map<String, String> licenses, int count, int phrasings, double noise,
                                          List<String> contributors, long seed) {
        List<Template> templates = switch (layout) {
            case SPARSE -> SPARSE_TEMPLATES;
            case CONSENSUS -> CONSENSUS_TEMPLATES;
            case NAME_ANSWERS -> NAME_TEMPLATES;
        };
        if (phrasings < 1 || phrasings > templates.size()) {
            throw new IllegalArgumentException("phrasings must be in [1, " + templates.size() + "] for " + layout + ", got "
                    + phrasings);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Map.Entry<String, String>> chosen = choose(licenses, count, random);
        if (chosen.size() < 2) {
            throw new IllegalArgumentException("a planted answer needs at least 2 licenses, got " + chosen.size());
        }
        List<Question> questions = new ArrayList<>();
        Set<String> texts = new LinkedHashSet<>();
        int index = 0;
        for (int l = 0; l < chosen.size(); l++) {
            for (Template template : templates.subList(0, phrasings)) {
                boolean planted = random.nextDouble() < noise;
                Map.Entry<String, String> answer = chosen.get(l);
                String text;
                if (planted) {
                    Map.Entry<String, String> other = chosen.get((l + 1 + random.nextInt(chosen.size() - 1)) % chosen.size());
                    text = template.answersName()
                            ? String.format(template.format(), answer.getKey(), other.getValue())
                            : String.format(template.format(), other.getKey(), answer.getValue());
                } else {
                    text = String.format(template.format(), answer.getKey(), answer.getValue());
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
