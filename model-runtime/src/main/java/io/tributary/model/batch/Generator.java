package io.tributary.model.batch;

import io.tributary.model.llama.LlamaModel;
import io.tributary.model.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Autoregressive sampling of one prompt on the batched engine (a batch of one): greedy at temperature 0, else
 * softmax(logits / T) with a seeded generator. A server running the same prompt and adapter through
 * {@link BatchedForward#step} with other requests in the batch computes the same rows, so it gives what this gives.
 */
public final class Generator {
    private Generator() {}

    /** The prompt's continuation, its token ids, and whether it ended on end-of-sequence. */
    public record Completion(String text, List<Integer> tokens, boolean endedOnEos) {}

    /** Generates with the model's own adapter ({@link LlamaModel#adapter()}, or none) on a fresh engine. */
    public static Completion generate(LlamaModel model, TextTokenizer tokenizer, String prompt, int maxTokens,
                                      double temperature, long seed) {
        try (BatchedForward engine = new BatchedForward(model);
             DeviceAdapter adapter = model.adapter() == null ? null : DeviceAdapter.of(model.adapter(), model.manager())) {
            return generate(engine, adapter, tokenizer, prompt, maxTokens, temperature, seed);
        }
    }

    /** Generates on {@code engine} with {@code adapterOrNull}. */
    public static Completion generate(BatchedForward engine, DeviceAdapter adapterOrNull, TextTokenizer tokenizer,
                                      String prompt, int maxTokens, double temperature, long seed) {
        int[] input = promptIds(tokenizer, prompt);
        int budget = Math.min(maxTokens, engine.model().config().maxPositionEmbeddings() - input.length);
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> generated = new ArrayList<>();
        boolean eos = false;
        int limit = Math.min(tokenizer.vocabularySize(), engine.model().config().vocabSize());
        try (Sequence sequence = new Sequence(engine, adapterOrNull)) {
            int[] next = input;
            for (int step = 0; step < budget; step++) {
                float[] logits = engine.step(List.of(new BatchedForward.Feed(sequence, next)))[0];
                int token = temperature <= 0 ? argmax(logits, limit) : sample(logits, limit, temperature, random);
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

    /** The ids a prompt is fed as: begin-of-sequence, then the prompt's tokens. */
    public static int[] promptIds(TextTokenizer tokenizer, String prompt) {
        int[] promptIds = tokenizer.ids(prompt);
        int[] input = new int[promptIds.length + 1];
        input[0] = tokenizer.bosId();
        System.arraycopy(promptIds, 0, input, 1, promptIds.length);
        return input;
    }

    /** The index of the largest logit (the first one on ties). */
    public static int argmax(float[] logits) {
        return argmax(logits, logits.length);
    }

    /**
     * The index of the largest of the first {@code limit} logits: a model whose embedding is padded past its
     * tokenizer's vocabulary (the SmolLM-shaped preset with the bytes tokenizer) never emits an id it cannot decode.
     */
    public static int argmax(float[] logits, int limit) {
        int best = 0;
        for (int i = 1; i < limit; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** A draw from softmax(logits[0..limit) / temperature). */
    public static int sample(float[] logits, int limit, double temperature, SplittableRandom random) {
        double[] weights = softmaxWeights(logits, limit, temperature);
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        double pick = random.nextDouble() * total;
        for (int i = 0; i < limit; i++) {
            pick -= weights[i];
            if (pick <= 0) {
                return i;
            }
        }
        return limit - 1;
    }

    /** exp((logit - max) / temperature) of logits[0..limit): softmax weights before normalization. */
    public static double[] softmaxWeights(float[] logits, int limit, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < limit; i++) {
            max = Math.max(max, logits[i]);
        }
        double[] weights = new double[limit];
        for (int i = 0; i < limit; i++) {
            weights[i] = Math.exp((logits[i] - max) / temperature);
        }
        return weights;
    }
}
