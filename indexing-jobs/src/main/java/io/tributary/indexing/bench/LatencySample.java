package io.tributary.indexing.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latencies of one kind of query, summarized as percentiles in milliseconds. */
final class LatencySample {
    private final long[] nanos;
    private int size;

    LatencySample(int capacity) {
        nanos = new long[capacity];
    }

    void add(long elapsedNanos) {
        nanos[size++] = elapsedNanos;
    }

    double percentileMillis(double percentile) {
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, index))] / 1e6;
    }

    Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queries", size);
        out.put("p50_ms", percentileMillis(50));
        out.put("p90_ms", percentileMillis(90));
        out.put("p99_ms", percentileMillis(99));
        out.put("max_ms", percentileMillis(100));
        return out;
    }
}
