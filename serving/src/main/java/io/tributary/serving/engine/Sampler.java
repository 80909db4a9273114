package io.tributary.serving.engine;

import io.tributary.model.batch.Generator;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks each next token of one request from its logits: greedy (the first largest logit) at temperature 0, else
 * from softmax(logits / temperature) restricted to the smallest set of most likely tokens whose probability reaches
 * {@code top_p}. Draws come from a generator seeded per request, so a seed gives the same completion every time;
 * with {@code top_p = 1} the draws are those of {@code model generate --seed} (the runtime's {@link Generator}).
 */
public final class Sampler {
    private final double temperature;
    private final double topP;
    private final int limit;
    private final SplittableRandom random;

    /** {@code limit}: how many leading logits are tokens the tokenizer can decode (a padded vocabulary has more). */
    public Sampler(double temperature, double topP, long seed, int limit) {
        this.temperature = temperature;
        this.topP = topP;
        this.limit = limit;
        this.random = new SplittableRandom(seed);
    }

    public int next(float[] logits) {
        if (temperature <= 0) {
            return Generator.argmax(logits, limit);
        }
        if (topP >= 1) {
            return Generator.sample(logits, limit, temperature, random);
        }
        double[] weights = Generator.softmaxWeights(logits, limit, temperature);
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        Integer[] order = new Integer[weights.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> a.equals(b) ? 0 : weights[b] != weights[a] ? Double.compare(weights[b], weights[a]) : Integer.compare(a, b));
        double kept = 0;
        int count = 0;
        while (count < order.length && (count == 0 || kept < topP * total)) {
            kept += weights[order[count]];
            count++;
        }
        double pick = random.nextDouble() * kept;
        for (int i = 0; i < count; i++) {
            pick -= weights[order[i]];
            if (pick <= 0) {
                return order[i];
            }
        }
        return order[count - 1];
    }
}
