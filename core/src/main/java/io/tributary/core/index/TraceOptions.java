package io.tributary.core.index;

/**
 * How a trace filters and reports spans: spans with fewer than {@code minTokens} tokens that carry text (cover a
 * letter or digit; a span is at least that long) or occurring more than {@code maxCount} times are left out; each span
 * lists at most {@code documentLimit} documents.
 */
public record TraceOptions(int minTokens, long maxCount, int documentLimit) {
    public TraceOptions {
        if (minTokens < 1) {
            throw new IllegalArgumentException("min-tokens must be at least 1, not " + minTokens);
        }
        if (maxCount < 1) {
            throw new IllegalArgumentException("max-count must be at least 1, not " + maxCount);
        }
        if (documentLimit < 0) {
            throw new IllegalArgumentException("the document limit must not be negative, not " + documentLimit);
        }
    }
}
