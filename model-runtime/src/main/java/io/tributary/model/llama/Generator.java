package io.tributary.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import io.tributary.model.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Autoregressive sampling with a KV cache: greedy at temperature 0, else softmax(logits / T) with a seeded generator. */
public final class Generator {
    private Generator() {}

    /** The prompt's continuation, its token ids, and whether it ended on end-of-sequence. */
    public record Completion(String text, List<Integer> tokens, boolean endedOnEos) {}

    public static Completion generate(LlamaModel model, TextTokenizer tokenizer, String prompt, int maxTokens,
                                      double temperature, long seed) {
        int[] promptIds = tokenizer.ids(prompt);
        int[] input = new int[promptIds.length + 1];
        input[0] = tokenizer.bosId();
        System.arraycopy(promptIds, 0, input, 1, promptIds.length);
        int budget = Math.min(maxTokens, model.config().maxPositionEmbeddings() - input.length);
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> generated = new ArrayList<>();
        boolean eos = false;
        try (KvCache cache = new KvCache(model.config().numHiddenLayers())) {
            int[] next = input;
            for (int step = 0; step < budget; step++) {
                float[] logits;
                try (NDScope scope = new NDScope()) {
                    NDArray all = model.forward(model.tokens(next), cache);
                    logits = all.get(0, next.length - 1).toFloatArray();
                }
                int token = temperature <= 0 ? argmax(logits) : sample(logits, temperature, random);
                if (token == tokenizer.eosId()) {
                    eos = true;
                    break;
                }
                generated.add(token);
                next = new int[] {token};
            }
        }
        int[] ids = generated.stream().mapToInt(Integer::intValue).toArray();
        return new Completion(tokenizer.decode(ids), generated, eos);
    }

    /** The index of the largest logit (the first one on ties). */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    static int sample(float[] logits, double temperature, SplittableRandom random) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double[] weights = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            weights[i] = Math.exp((logits[i] - max) / temperature);
            total += weights[i];
        }
        double pick = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            pick -= weights[i];
            if (pick <= 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
