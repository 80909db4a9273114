package io.tributary.serving.engine;

import java.util.List;

/** How one request samples: OpenAI's max_tokens, temperature, top_p, seed and stop. */
public record SamplingParameters(int maxTokens, double temperature, double topP, long seed, List<String> stop) {
    public SamplingParameters {
        stop = List.copyOf(stop);
    }
}
