package io.tributary.serving.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;

/**
 * The server's Prometheus metrics, served at {@code /metrics}. Per adapter (label {@code adapter}: the first 16 hex
 * digits of its id, or {@code base}): requests by outcome, prompt and completion tokens, time to first token,
 * latency, fees (as a float sum: the inference log is the exact account). Per cache tier: hits, misses, loads,
 * evictions, resident bytes and adapters. Queue depth and batch size. Never a key, a prompt or a completion.
 */
public final class ServingMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("tributary_requests_total")
            .help("Requests by adapter and HTTP status").labelNames("adapter", "status").register(registry);
    private final Counter promptTokens = Counter.builder().name("tributary_prompt_tokens_total")
            .help("Prompt tokens of billed requests").labelNames("adapter").register(registry);
    private final Counter completionTokens = Counter.builder().name("tributary_completion_tokens_total")
            .help("Completion tokens of billed requests").labelNames("adapter").register(registry);
    private final Counter fees = Counter.builder().name("tributary_fees_wei_total")
            .help("Fees of billed requests in wei (float sum; the inference log is exact)").labelNames("adapter").register(registry);
    private final Histogram timeToFirstToken = Histogram.builder().name("tributary_time_to_first_token_seconds")
            .help("From request arrival to the first generated token").labelNames("adapter").classicOnly()
            .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).register(registry);
    private final Histogram latency = Histogram.builder().name("tributary_request_latency_seconds")
            .help("From request arrival to the response's end").labelNames("adapter").classicOnly()
            .classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120).register(registry);
    private final Counter cacheHits = Counter.builder().name("tributary_adapter_cache_hits_total")
            .help("Adapter lookups answered by a tier").labelNames("tier").register(registry);
    private final Counter cacheMisses = Counter.builder().name("tributary_adapter_cache_misses_total")
            .help("Adapter lookups a tier could not answer").labelNames("tier").register(registry);
    private final Counter cacheLoads = Counter.builder().name("tributary_adapter_cache_loads_total")
            .help("Adapters loaded into a tier").labelNames("tier").register(registry);
    private final Counter cacheEvictions = Counter.builder().name("tributary_adapter_cache_evictions_total")
            .help("Adapters evicted from a tier").labelNames("tier").register(registry);
    private final Gauge residentBytes = Gauge.builder().name("tributary_adapter_cache_resident_bytes")
            .help("Bytes of adapters resident in a tier").labelNames("tier").register(registry);
    private final Gauge residentAdapters = Gauge.builder().name("tributary_adapter_cache_resident_adapters")
            .help("Adapters resident in a tier").labelNames("tier").register(registry);
    private final Histogram loadSeconds = Histogram.builder().name("tributary_adapter_load_seconds")
            .help("Cold-load time of an adapter into the device tier, by the tier it came from").labelNames("source").classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5).register(registry);
    private final Gauge queueDepth = Gauge.builder().name("tributary_queue_depth")
            .help("Requests waiting for a place in the running batch").register(registry);
    private final Gauge running = Gauge.builder().name("tributary_running_sequences")
            .help("Sequences in the running batch").register(registry);
    private final Histogram batchSize = Histogram.builder().name("tributary_batch_size")
            .help("Sequences in each forward step").classicOnly()
            .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128).register(registry);
    private final Histogram batchTokens = Histogram.builder().name("tributary_batch_tokens")
            .help("Tokens in each forward step (prefill chunks and decodes)").classicOnly()
            .classicUpperBounds(1, 4, 16, 64, 256, 1024, 4096).register(registry);
    private final Gauge merged = Gauge.builder().name("tributary_merged_adapter")
            .help("1 while the adapter runs merged into its own copy of the base weights (merge mode)").labelNames("adapter").register(registry);
    private final Counter logFailures = Counter.builder().name("tributary_inference_log_failures_total")
            .help("Completed requests whose record could not be made durable (answered 500, not billed)").register(registry);

    /** The metric label of an adapter id ("" for the base model). */
    public static String label(String adapterId) {
        return adapterId == null || adapterId.isEmpty() ? "base" : adapterId.substring(0, Math.min(16, adapterId.length()));
    }

    public void request(String adapterId, int status) {
        requests.labelValues(label(adapterId), Integer.toString(status)).inc();
    }

    public void billed(String adapterId, long prompt, long completion, BigInteger fee, double firstTokenSeconds, double seconds) {
        String label = label(adapterId);
        promptTokens.labelValues(label).inc(prompt);
        completionTokens.labelValues(label).inc(completion);
        fees.labelValues(label).inc(fee.doubleValue());
        if (firstTokenSeconds >= 0) {
            timeToFirstToken.labelValues(label).observe(firstTokenSeconds);
        }
        latency.labelValues(label).observe(seconds);
    }

    public void cacheHit(String tier) {
        cacheHits.labelValues(tier).inc();
    }

    public void cacheMiss(String tier) {
        cacheMisses.labelValues(tier).inc();
    }

    public void cacheLoad(String tier) {
        cacheLoads.labelValues(tier).inc();
    }

    public void cacheEviction(String tier) {
        cacheEvictions.labelValues(tier).inc();
    }

    public void resident(String tier, long bytes, int adapters) {
        residentBytes.labelValues(tier).set(bytes);
        residentAdapters.labelValues(tier).set(adapters);
    }

    public void adapterLoaded(String source, double seconds) {
        loadSeconds.labelValues(source).observe(seconds);
    }

    public void queue(int waiting, int runningSequences) {
        queueDepth.set(waiting);
        if (runningSequences >= 0) {
            running.set(runningSequences);
        }
    }

    public void step(int sequences, int tokens) {
        batchSize.observe(sequences);
        batchTokens.observe(tokens);
    }

    /** Forward steps run so far (each call of the engine's batched step): the count of {@code tributary_batch_tokens}. */
    public long steps() {
        var points = batchTokens.collect().getDataPoints();
        return points.isEmpty() ? 0 : points.get(0).getCount();
    }

    /** Tokens (rows: prefill chunks' tokens and decodes) of all forward steps so far: the sum of {@code tributary_batch_tokens}. */
    public long stepTokens() {
        var points = batchTokens.collect().getDataPoints();
        return points.isEmpty() ? 0 : Math.round(points.get(0).getSum());
    }

    public void merged(String adapterKey, boolean active) {
        merged.labelValues(label(adapterKey)).set(active ? 1 : 0);
    }

    public void logFailure() {
        logFailures.inc();
    }

    public String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    public void write(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }
}
