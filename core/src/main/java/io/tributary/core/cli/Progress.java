package io.tributary.core.cli;

import java.io.PrintStream;

/**
 * Progress of a long step on stderr. On a terminal it redraws one line; elsewhere (pipes, CI, --json
 * callers) it prints only the step's start and end, so logs stay readable.
 */
public final class Progress implements AutoCloseable {
    private final String label;
    private final long total;
    private final PrintStream err;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long done;
    private long lastDrawNanos;

    private Progress(String label, long total, PrintStream err, boolean terminal) {
        this.label = label;
        this.total = total;
        this.err = err;
        this.terminal = terminal;
    }

    /** Starts a step of {@code total} units (0 when unknown). */
    public static Progress start(String label, long total) {
        Progress progress = new Progress(label, total, System.err, System.console() != null);
        if (!progress.terminal) {
            progress.err.println(label + "...");
        } else {
            progress.draw();
        }
        return progress;
    }

    public static void step(String message) {
        System.err.println(message);
    }

    public synchronized void advance(long units) {
        done += units;
        long now = System.nanoTime();
        if (terminal && now - lastDrawNanos > 100_000_000L) {
            lastDrawNanos = now;
            draw();
        }
    }

    private void draw() {
        String count = total > 0 ? done + "/" + total : Long.toString(done);
        err.print("\r" + label + ": " + count + "   ");
        err.flush();
    }

    @Override
    public synchronized void close() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String summary = String.format("%s: done in %.1f s", label, seconds);
        err.println(terminal ? "\r" + summary + "          " : summary);
    }
}
