package io.tributary.serving.engine;

import java.util.List;

/** What the scheduler tells a request's handler: new final text, the end of the completion, or a failure. */
public sealed interface GenerationEvent permits GenerationEvent.Text, GenerationEvent.Finished, GenerationEvent.Failed {

    /** Text that became final; the first one also marks the time to first token. */
    record Text(String delta) implements GenerationEvent {}

    /**
     * The completion ended: {@code finishReason} is {@code stop} (end of sequence or a stop sequence), {@code length}
     * (max_tokens or the context) or {@code cancelled} (the client went away).
     */
    record Finished(String text, List<Integer> tokens, int promptTokens, int completionTokens, String finishReason,
                    long firstTokenNanos, long finishedNanos) implements GenerationEvent {}

    /** The request could not run (its adapter failed to load, the server stopped); nothing is billed. */
    record Failed(int status, String code, String message) implements GenerationEvent {}
}
