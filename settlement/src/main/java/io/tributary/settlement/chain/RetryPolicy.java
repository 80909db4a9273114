package io.tributary.settlement.chain;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Exponential back-off for RPC calls that fail in transport (node down, connection reset): the call is
 * retried from {@code initial}, doubling up to {@code max}, until {@code deadline} has passed in all.
 * Answers from the node (a revert, a rejected transaction) are not transport failures and are not retried.
 */
public record RetryPolicy(Duration initial, Duration max, Duration deadline) {

    public <T> T call(String what, Callable<T> call) {
        long start = System.nanoTime();
        long backoff = initial.toMillis();
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                return call.call();
            } catch (Exception e) {
                if (!isTransport(e)) {
                    if (e instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new ChainException(what + " failed: " + e.getMessage(), e);
                }
                long elapsed = (System.nanoTime() - start) / 1_000_000L;
                if (elapsed + backoff > deadline.toMillis()) {
                    throw new ChainException(what + " failed after " + attempt + " attempts over " + elapsed
                            + " ms; the node is unreachable: " + e.getMessage(), e);
                }
                System.err.printf("%s: node unreachable (%s), retrying in %d ms%n", what, e.getMessage(), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, max.toMillis());
            }
        }
    }

    static boolean isTransport(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException("interrupted", e);
        }
    }
}
