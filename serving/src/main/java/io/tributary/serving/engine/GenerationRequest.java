package io.tributary.serving.engine;

import io.tributary.serving.adapters.ServedAdapter;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One request inside the scheduler: its prompt tokens (begin-of-sequence first), its adapter (null for the base
 * model), how it samples, and the events its handler reads. A handler whose client went away calls {@link #cancel}.
 */
public final class GenerationRequest {
    private final int[] prompt;
    private final ServedAdapter adapter;
    private final SamplingParameters sampling;
    private final long arrivedNanos;
    private final LinkedBlockingQueue<GenerationEvent> events = new LinkedBlockingQueue<>();
    private volatile boolean cancelled;

    public GenerationRequest(int[] prompt, ServedAdapter adapter, SamplingParameters sampling, long arrivedNanos) {
        this.prompt = prompt;
        this.adapter = adapter;
        this.sampling = sampling;
        this.arrivedNanos = arrivedNanos;
    }

    public int[] prompt() {
        return prompt;
    }

    /** The adapter, or null for the bare base model. */
    public ServedAdapter adapter() {
        return adapter;
    }

    public String adapterId() {
        return adapter == null ? "" : adapter.adapterId();
    }

    /** What the adapter cache holds this request's adapter under ("" for the base model). */
    public String cacheKey() {
        return adapter == null ? "" : adapter.cacheKey();
    }

    public SamplingParameters sampling() {
        return sampling;
    }

    public long arrivedNanos() {
        return arrivedNanos;
    }

    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }

    void emit(GenerationEvent event) {
        events.add(event);
    }

    /** The next event, waiting at most {@code millis}; null when none came. */
    public GenerationEvent next(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }
}
