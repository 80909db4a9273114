package io.tributary.indexing.bench;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.core.index.SuffixArrayBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary bench suffix-array}: SA-IS construction speed over a file's bytes, in one process. */
@Command(name = "suffix-array", mixinStandardHelpOptions = true,
        description = "Build the suffix array of a file's bytes (single-threaded) and report its speed.")
public final class SuffixArrayBenchmark implements Runnable {
    @Mixin
    GlobalOptions global;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "The file whose bytes to sort.")
    Path input;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "N",
            description = "Builds to time after the warm-up; the median is reported. Default: 3.")
    int runs;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "N",
            description = "Builds before the timed ones, while the JIT compiles the builder (a job building many shards "
                    + "in one JVM runs warm), reported apart as warmup_seconds. Default: 2.")
    int warmup;

    @Override
    public void run() {
        if (!Files.isRegularFile(input)) {
            throw new UserError("--input " + input + ": no such file");
        }
        if (runs < 1) {
            throw new UserError("--runs must be at least 1");
        }
        if (warmup < 0) {
            throw new UserError("--warmup must be at least 0");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(input);
        } catch (IOException | OutOfMemoryError e) {
            throw new UserError("cannot read " + input + " into memory: " + e.getMessage(), e);
        }
        // The building thread's CPU time beside wall time: on a shared machine wall time mostly measures the load.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Double> seconds = new ArrayList<>();
        List<Double> cpuSeconds = new ArrayList<>();
        List<Double> warmupSeconds = new ArrayList<>();
        List<Double> warmupCpuSeconds = new ArrayList<>();
        for (int run = 0; run < warmup + runs; run++) {
            long started = System.nanoTime();
            long cpuStarted = threads.getCurrentThreadCpuTime();
            int[] suffixes = SuffixArrayBuilder.build(bytes);
            boolean timed = run >= warmup;
            (timed ? cpuSeconds : warmupCpuSeconds).add((threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9);
            (timed ? seconds : warmupSeconds).add((System.nanoTime() - started) / 1e9);
            if (suffixes.length != bytes.length) {
                throw new IllegalStateException("suffix array of the wrong length");
            }
        }
        double median = median(seconds);
        double medianCpu = median(cpuSeconds);
        // An index of byte tokens stores one byte a token and one pointer of ceil(log2 N / 8) bytes.
        int pointerBytes = Math.max(1, (64 - Long.numberOfLeadingZeros(Math.max(1, bytes.length - 1)) + 7) / 8);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("input", input.toString());
        json.put("bytes", bytes.length);
        json.put("seconds", median);
        json.put("mb_per_s", bytes.length / 1e6 / median);
        json.put("index_bytes_per_token", 1 + pointerBytes);
        json.put("runs_seconds", seconds);
        json.put("cpu_seconds", medianCpu);
        json.put("runs_cpu_seconds", cpuSeconds);
        json.put("warmup_seconds", warmupSeconds);
        json.put("warmup_cpu_seconds", warmupCpuSeconds);
        CommandOutput.of(global).print(json, () -> String.format(
                "suffix array of %,d bytes: %.3f s (median of %d), %.2f MB/s, %.3f s of thread CPU; index %d bytes/token;"
                        + " runs: %s, CPU: %s; warm-up builds: %s, CPU: %s",
                bytes.length, median, runs, bytes.length / 1e6 / median, medianCpu, 1 + pointerBytes, seconds,
                cpuSeconds, warmupSeconds, warmupCpuSeconds));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }
}
