package io.tributary.serving.engine;

import io.tributary.model.tokenizer.TextTokenizer;
import io.tributary.serving.adapters.AdapterCache;
import io.tributary.serving.adapters.ServedAdapter;
import io.tributary.model.batch.AdapterMerge;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.batch.BatchedForward;
import io.tributary.model.batch.DeviceAdapter;
import io.tributary.model.batch.Sequence;
import io.tributary.serving.metrics.ServingMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous batching across adapters. One thread owns the engine: between steps it admits waiting requests whose
 * adapter is on the device (starting loads for the others, which keep their place without blocking anyone), then
 * runs ONE batched forward for every running sequence (prefill chunks and decode tokens of any adapters mixed, at
 * most {@code maxBatchTokens} tokens), samples each sequence's next token, and retires the finished ones. Requests
 * therefore join and leave the batch between decode steps. The queue of waiting requests is bounded.
 */
public final class BatchScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchScheduler.class);
    /** The name of the thread that owns the engine and runs every step. */
    public static final String THREAD_NAME = "batch-scheduler";

    private final BatchedForward engine;
    private final TextTokenizer tokenizer;
    private final AdapterCache cache;
    private final ServingMetrics metrics;
    private final int eosId;
    private final int maxBatchSize;
    private final int maxBatchTokens;
    private final int maxQueue;
    private final int vocabularyLimit;
    private final LinkedBlockingQueue<GenerationRequest> inbound = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Boolean> wake = new LinkedBlockingQueue<>();
    private final ArrayDeque<GenerationRequest> waiting = new ArrayDeque<>();
    private final List<Running> running = new ArrayList<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Thread thread;
    private volatile boolean accepting = true;
    private volatile boolean stopping;
    private volatile long drainDeadline = Long.MAX_VALUE;
    private final Admission admission;
    private final MergePolicy mergePolicy;
    private final ArrayDeque<String> window = new ArrayDeque<>();
    private volatile MergedEngine merged;
    private volatile boolean merging;

    /**
     * An adapter folded into its own copy of the base weights it touches (W + s B A, the other weights shared): its
     * requests run as base-model rows on this engine, so they pay no LoRA cost. Built off the scheduler thread.
     */
    private record MergedEngine(String key, ServedAdapter adapter, LlamaModel model, BatchedForward engine) {}

    /**
     * When an adapter is merged: {@code mode} off, or auto: it had at least {@code share} of the last {@code window}
     * admitted requests and at least {@code minActive} of its requests are queued or running. It is unmerged when its
     * share falls under half of {@code share} and none of its sequences runs on the merged engine.
     */
    public record MergePolicy(boolean auto, double share, int window, int minActive) {
        public static final MergePolicy OFF = new MergePolicy(false, 1, 1, 1);
    }

    /**
     * How waiting requests join the batch. {@code CONTINUOUS}: any request whose adapter is resident joins between
     * steps. {@code ONE_ADAPTER_AT_A_TIME}: the naive server (benchmark anchor (c)): only the oldest request's
     * adapter runs, its queued requests are served, and only when the batch is empty does the next adapter get its turn.
     */
    public enum Admission { CONTINUOUS, ONE_ADAPTER_AT_A_TIME }

    /** A request in the running batch: its sequence (KV cache), progress through the prompt, and sampled tokens. */
    private static final class Running {
        final GenerationRequest request;
        final Sequence sequence;
        final Sampler sampler;
        final CompletionText text;
        final List<Integer> generated = new ArrayList<>();
        int prefilled;
        int sampledCount;
        int pendingToken = -1;
        long firstTokenNanos = -1;

        final boolean onMergedEngine;
        /** KV-cache positions held for this request from admission to retirement: its prompt plus max_tokens. */
        final long reservedPositions;

        Running(GenerationRequest request, Sequence sequence, TextTokenizer tokenizer, int limit, boolean onMergedEngine) {
            this.request = request;
            this.onMergedEngine = onMergedEngine;
            this.reservedPositions = positionsFor(request);
            this.sequence = sequence;
            SamplingParameters sampling = request.sampling();
            this.sampler = new Sampler(sampling.temperature(), sampling.topP(), sampling.seed(), limit);
            this.text = new CompletionText(tokenizer, sampling.stop());
        }

        boolean prefilling() {
            return prefilled < request.prompt().length;
        }
    }

    /** Whole cache blocks' positions a request may fill: admission reserves them so no step can find the cache full. */
    static long positionsFor(GenerationRequest request) {
        long positions = (long) request.prompt().length + request.sampling().maxTokens();
        long blocks = (positions + BatchedForward.CACHE_BLOCK - 1) / BatchedForward.CACHE_BLOCK;
        return blocks * BatchedForward.CACHE_BLOCK;
    }

    /** Positions reserved by running requests, per engine (the base's, and a merged engine's own cache). */
    private long reservedOnBase;
    private long reservedOnMerged;

    public BatchScheduler(BatchedForward engine, TextTokenizer tokenizer, int eosId, AdapterCache cache, ServingMetrics metrics,
                          int maxBatchSize, int maxBatchTokens, int maxQueue, Admission admission, MergePolicy mergePolicy) {
        this.admission = admission;
        this.mergePolicy = mergePolicy;
        this.engine = engine;
        this.tokenizer = tokenizer;
        this.eosId = eosId;
        this.cache = cache;
        this.metrics = metrics;
        this.maxBatchSize = maxBatchSize;
        this.maxBatchTokens = maxBatchTokens;
        this.maxQueue = maxQueue;
        this.vocabularyLimit = Math.min(tokenizer.vocabularySize(), engine.model().config().vocabSize());
        cache.onChange(id -> wake.offer(Boolean.TRUE));
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a request; refuses it when the queue is full or the server is shutting down. */
    public void submit(GenerationRequest request) {
        if (!accepting) {
            throw new SchedulerRefusal(SchedulerRefusal.Reason.SHUTTING_DOWN, "the server is shutting down");
        }
        if (queued.incrementAndGet() > maxQueue) {
            queued.decrementAndGet();
            throw new SchedulerRefusal(SchedulerRefusal.Reason.QUEUE_FULL, "the queue is full (" + maxQueue
                    + " requests waiting); retry later");
        }
        if (request.adapter() != null && admission == Admission.CONTINUOUS) {
            cache.prefetch(request.adapter());
        }
        inbound.add(request);
        wake.offer(Boolean.TRUE);
    }

    /** Requests waiting for a place in the batch. */
    public int queueDepth() {
        return queued.get();
    }

    public boolean accepting() {
        return accepting;
    }

    /** Stops taking requests; those queued or running get until {@code deadlineNanos} to finish, then are cancelled. */
    public void drain(long timeoutMillis) {
        accepting = false;
        drainDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        wake.offer(Boolean.TRUE);
        try {
            long waitMillis = timeoutMillis + 5_000;
            long end = System.currentTimeMillis() + waitMillis;
            while (System.currentTimeMillis() < end && (queued.get() > 0 || busy())) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private volatile boolean runningNonEmpty;

    private boolean busy() {
        return runningNonEmpty;
    }

    private void run() {
        while (!stopping) {
            try {
                admitInbound();
                admit();
                if (running.isEmpty()) {
                    runningNonEmpty = false;
                    metrics.queue(queued.get(), 0);
                    wake.poll(waiting.isEmpty() ? 250 : 5, TimeUnit.MILLISECONDS);
                    continue;
                }
                runningNonEmpty = true;
                step();
            } catch (InterruptedException e) {
                if (stopping) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.error("a batch step failed; its requests are answered with an error", e);
                failAll(running, "the engine failed: " + e.getMessage());
            }
        }
        failAll(running, "the server stopped");
        for (GenerationRequest request : waiting) {
            request.emit(new GenerationEvent.Failed(503, "server_shutting_down", "the server stopped before the request ran"));
        }
    }

    private void admitInbound() {
        GenerationRequest request;
        while ((request = inbound.poll()) != null) {
            waiting.add(request);
        }
    }

    /** Moves waiting requests into the batch, in arrival order, skipping (not blocking on) adapters still loading. */
    private void admit() {
        boolean pastDeadline = !accepting && System.nanoTime() > drainDeadline;
        String turn = null;
        if (admission == Admission.ONE_ADAPTER_AT_A_TIME) {
            turn = !running.isEmpty() ? running.get(0).request.cacheKey() : waiting.isEmpty() ? null : waiting.peek().cacheKey();
        }
        for (Iterator<GenerationRequest> it = waiting.iterator(); it.hasNext(); ) {
            GenerationRequest request = it.next();
            if (turn != null && !turn.equals(request.cacheKey()) && !request.cancelled() && !pastDeadline) {
                continue;
            }
            if (request.cancelled() || pastDeadline) {
                it.remove();
                queued.decrementAndGet();
                request.emit(pastDeadline
                        ? new GenerationEvent.Failed(503, "server_shutting_down", "the server stopped before the request ran")
                        : new GenerationEvent.Finished("", List.of(), request.prompt().length, 0, "cancelled", -1, System.nanoTime()));
                continue;
            }
            if (running.size() >= maxBatchSize) {
                continue;
            }
            long need = positionsFor(request);
            if (need > engine.settings().cachePositions()) {
                it.remove();
                queued.decrementAndGet();
                request.emit(new GenerationEvent.Failed(400, "context_length_exceeded", "prompt plus max_tokens needs " + need
                        + " KV-cache positions; this server holds at most " + engine.settings().cachePositions()
                        + " (serving.kv-cache-bytes)"));
                continue;
            }
            MergedEngine current = merged;
            if (current != null && request.adapter() != null && current.key().equals(request.cacheKey())) {
                if (reservedOnMerged + need > current.engine().settings().cachePositions()) {
                    continue;
                }
                reservedOnMerged += need;
                it.remove();
                queued.decrementAndGet();
                observe(request);
                running.add(new Running(request, new Sequence(current.engine(), null), tokenizer, vocabularyLimit, true));
                continue;
            }
            DeviceAdapter device = null;
            if (request.adapter() != null) {
                String error = cache.loadError(request.cacheKey());
                if (error != null) {
                    it.remove();
                    queued.decrementAndGet();
                    request.emit(new GenerationEvent.Failed(500, "adapter_load_failed", error));
                    cache.clearError(request.cacheKey());
                    continue;
                }
                if (reservedOnBase + need > engine.settings().cachePositions()) {
                    continue;
                }
                device = cache.acquire(request.adapter());
                if (device == null) {
                    continue;
                }
            } else if (reservedOnBase + need > engine.settings().cachePositions()) {
                continue;
            }
            reservedOnBase += need;
            it.remove();
            queued.decrementAndGet();
            observe(request);
            running.add(new Running(request, new Sequence(engine, device), tokenizer, vocabularyLimit, false));
        }
        metrics.queue(queued.get(), running.size());
        reconsiderMerge();
    }

    /** Counts an admitted request in the merge policy's window. */
    private void observe(GenerationRequest request) {
        if (!mergePolicy.auto()) {
            return;
        }
        window.addLast(request.cacheKey());
        while (window.size() > mergePolicy.window()) {
            window.removeFirst();
        }
    }

    private void reconsiderMerge() {
        if (!mergePolicy.auto() || merging || window.size() < mergePolicy.window()) {
            return;
        }
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        window.forEach(key -> counts.merge(key, 1, Integer::sum));
        MergedEngine current = merged;
        if (current != null) {
            boolean inUse = running.stream().anyMatch(r -> r.onMergedEngine);
            if (!inUse && counts.getOrDefault(current.key(), 0) < mergePolicy.share() * mergePolicy.window() / 2) {
                merged = null;
                current.engine().close();
                current.model().close();
                cache.release(current.key());
                metrics.merged(current.key(), false);
                LOG.info("unmerged adapter {}: its share of traffic fell", current.key());
            }
            return;
        }
        for (java.util.Map.Entry<String, Integer> entry : counts.entrySet()) {
            String key = entry.getKey();
            if (key.isEmpty() || entry.getValue() < mergePolicy.share() * mergePolicy.window()) {
                continue;
            }
            long active = running.stream().filter(r -> r.request.cacheKey().equals(key)).count()
                    + waiting.stream().filter(r -> r.cacheKey().equals(key)).count();
            ServedAdapter adapter = running.stream().filter(r -> r.request.cacheKey().equals(key)).map(r -> r.request.adapter())
                    .findFirst().orElse(null);
            if (active < mergePolicy.minActive() || adapter == null) {
                continue;
            }
            DeviceAdapter device = cache.acquire(adapter);  // pinned while merged
            if (device == null) {
                continue;
            }
            merging = true;
            Thread builder = new Thread(() -> {
                try {
                    LlamaModel model = AdapterMerge.intoBase(engine.model(), device);
                    merged = new MergedEngine(key, adapter, model, new BatchedForward(model, engine.settings()));
                    metrics.merged(key, true);
                    LOG.info("merged adapter {} into a copy of the base weights it touches ({} of {} recent requests)",
                            key, entry.getValue(), mergePolicy.window());
                } catch (RuntimeException e) {
                    LOG.warn("cannot merge adapter {}: {}", key, e.getMessage());
                    cache.release(key);
                } finally {
                    merging = false;
                    wake.offer(Boolean.TRUE);
                }
            }, "adapter-merge");
            builder.setDaemon(true);
            builder.start();
            return;
        }
    }

    private void step() {
        List<BatchedForward.Feed> feeds = new ArrayList<>();
        List<Running> fed = new ArrayList<>();
        int budget = maxBatchTokens;
        boolean pastDeadline = !accepting && System.nanoTime() > drainDeadline;
        for (Running sequence : running) {
            if (sequence.request.cancelled() || pastDeadline) {
                continue;
            }
            if (!sequence.prefilling()) {
                feeds.add(new BatchedForward.Feed(sequence.sequence, new int[] {sequence.pendingToken}));
                fed.add(sequence);
                budget--;
            }
        }
        for (Running sequence : running) {
            if (sequence.request.cancelled() || pastDeadline || !sequence.prefilling()) {
                continue;
            }
            // At least one prompt chunk per step, so a long prompt always makes progress.
            if (budget <= 0 && fed.stream().anyMatch(Running::prefilling)) {
                break;
            }
            int[] prompt = sequence.request.prompt();
            int chunk = Math.min(prompt.length - sequence.prefilled, Math.max(1, budget));
            feeds.add(new BatchedForward.Feed(sequence.sequence, Arrays.copyOfRange(prompt, sequence.prefilled, sequence.prefilled + chunk)));
            fed.add(sequence);
            budget -= chunk;
        }
        int tokens = 0;
        for (BatchedForward.Feed feed : feeds) {
            tokens += feed.tokens().length;
        }
        float[][] logits = forward(feeds, fed);
        if (!feeds.isEmpty()) {
            metrics.step(feeds.size(), tokens);
        }
        long now = System.nanoTime();
        for (int i = 0; i < fed.size(); i++) {
            Running sequence = fed.get(i);
            if (sequence.prefilling()) {
                sequence.prefilled += feeds.get(i).tokens().length;
                if (sequence.prefilling()) {
                    continue;
                }
            }
            sample(sequence, logits[i], now);
        }
        retire(pastDeadline);
    }

    /** One batched forward per engine: the base engine for every adapter's rows, the merged engine for its adapter's. */
    private float[][] forward(List<BatchedForward.Feed> feeds, List<Running> fed) {
        float[][] logits = new float[feeds.size()][];
        List<BatchedForward.Feed> main = new ArrayList<>();
        List<Integer> mainRows = new ArrayList<>();
        List<BatchedForward.Feed> onMerged = new ArrayList<>();
        List<Integer> mergedRows = new ArrayList<>();
        for (int i = 0; i < feeds.size(); i++) {
            if (fed.get(i).onMergedEngine) {
                onMerged.add(feeds.get(i));
                mergedRows.add(i);
            } else {
                main.add(feeds.get(i));
                mainRows.add(i);
            }
        }
        if (!main.isEmpty()) {
            float[][] out = engine.step(main);
            for (int i = 0; i < out.length; i++) {
                logits[mainRows.get(i)] = out[i];
            }
        }
        if (!onMerged.isEmpty()) {
            float[][] out = onMerged.get(0).sequence().engine().step(onMerged);
            for (int i = 0; i < out.length; i++) {
                logits[mergedRows.get(i)] = out[i];
            }
        }
        return logits;
    }

    private void sample(Running sequence, float[] logits, long now) {
        int token = sequence.sampler.next(logits);
        sequence.sampledCount++;
        if (sequence.firstTokenNanos < 0) {
            sequence.firstTokenNanos = now;
        }
        if (token == eosId) {
            finish(sequence, "stop");
            return;
        }
        sequence.generated.add(token);
        String delta = sequence.text.add(token);
        if (!delta.isEmpty()) {
            sequence.request.emit(new GenerationEvent.Text(delta));
        }
        if (sequence.text.stopped()) {
            finish(sequence, "stop");
        } else if (sequence.generated.size() >= sequence.request.sampling().maxTokens()) {
            finish(sequence, "length");
        } else {
            sequence.pendingToken = token;
        }
    }

    private final List<Running> finished = new ArrayList<>();

    private void finish(Running sequence, String reason) {
        String rest = sequence.text.finish();
        if (!rest.isEmpty()) {
            sequence.request.emit(new GenerationEvent.Text(rest));
        }
        sequence.request.emit(new GenerationEvent.Finished(sequence.text.text(), List.copyOf(sequence.generated),
                sequence.request.prompt().length, sequence.sampledCount, reason, sequence.firstTokenNanos, System.nanoTime()));
        finished.add(sequence);
    }

    /** Closes finished sequences and those of clients that went away (billed as cancelled for what was generated). */
    private void retire(boolean pastDeadline) {
        for (Running sequence : running) {
            if (!finished.contains(sequence) && (sequence.request.cancelled() || pastDeadline)) {
                sequence.request.emit(new GenerationEvent.Finished(sequence.text.text(), List.copyOf(sequence.generated),
                        sequence.request.prompt().length, sequence.sampledCount, "cancelled", sequence.firstTokenNanos, System.nanoTime()));
                finished.add(sequence);
            }
        }
        for (Running sequence : finished) {
            running.remove(sequence);
            unreserve(sequence);
            sequence.sequence.close();
            if (sequence.request.adapter() != null && !sequence.onMergedEngine) {
                cache.release(sequence.request.cacheKey());
            }
        }
        finished.clear();
    }

    private void unreserve(Running sequence) {
        if (sequence.onMergedEngine) {
            reservedOnMerged -= sequence.reservedPositions;
        } else {
            reservedOnBase -= sequence.reservedPositions;
        }
    }

    private void failAll(List<Running> sequences, String message) {
        for (Running sequence : sequences) {
            sequence.request.emit(new GenerationEvent.Failed(500, "engine_error", message));
            unreserve(sequence);
            sequence.sequence.close();
            if (sequence.request.adapter() != null && !sequence.onMergedEngine) {
                cache.release(sequence.request.cacheKey());
            }
        }
        sequences.clear();
    }

    @Override
    public void close() {
        accepting = false;
        stopping = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        MergedEngine current = merged;
        if (current != null) {
            merged = null;
            current.engine().close();
            current.model().close();
        }
    }
}
