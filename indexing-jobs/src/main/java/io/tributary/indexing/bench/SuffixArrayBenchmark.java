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

    @Option(names = "--anchor", paramLabel = "EXE",
            description = "An anchor run as a process before each timed build, side by side in one run: EXE FILE [OUT] "
                    + "prints '<wall s> <CPU s>' of its own construction (and with OUT writes its array, int32 "
                    + "little-endian, compared entry for entry with ours once). The divsufsort driver is "
                    + "indexing-jobs/src/bench/c/divsufsort-driver.c.")
    Path anchor;

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
        List<Double> anchorSeconds = new ArrayList<>();
        List<Double> anchorCpuSeconds = new ArrayList<>();
        boolean anchorChecked = false;
        for (int run = 0; run < warmup + runs; run++) {
            boolean timed = run >= warmup;
            Path anchorArray = null;
            if (anchor != null && timed) {
                anchorArray = anchorChecked ? null : temporaryFile();
                double[] measured = runAnchor(anchorArray);
                anchorSeconds.add(measured[0]);
                anchorCpuSeconds.add(measured[1]);
            }
            long started = System.nanoTime();
            long cpuStarted = threads.getCurrentThreadCpuTime();
            int[] suffixes = SuffixArrayBuilder.build(bytes);
            (timed ? cpuSeconds : warmupCpuSeconds).add((threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9);
            (timed ? seconds : warmupSeconds).add((System.nanoTime() - started) / 1e9);
            if (suffixes.length != bytes.length) {
                throw new IllegalStateException("suffix array of the wrong length");
            }
            if (anchorArray != null) {
                compareWithAnchor(suffixes, anchorArray);
                anchorChecked = true;
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
        String anchorSummary = anchor == null ? ""
                : anchorReport(json, seconds, cpuSeconds, anchorSeconds, anchorCpuSeconds, anchorChecked);
        CommandOutput.of(global).print(json, () -> String.format(
                "suffix array of %,d bytes: %.3f s (median of %d), %.2f MB/s, %.3f s of thread CPU; index %d bytes/token;"
                        + " runs: %s, CPU: %s; warm-up builds: %s, CPU: %s%s",
                bytes.length, median, runs, bytes.length / 1e6 / median, medianCpu, 1 + pointerBytes, seconds,
                cpuSeconds, warmupSeconds, warmupCpuSeconds, anchorSummary));
    }

    /**
     * Puts the anchor's runs and, per round, the anchor's time over ours (above 1: we are faster) with their medians into
     * {@code json}; returns the text line's part.
     */
    private String anchorReport(Map<String, Object> json, List<Double> seconds, List<Double> cpuSeconds,
                                List<Double> anchorSeconds, List<Double> anchorCpuSeconds, boolean arraysEqual) {
        List<Double> wallRatios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (int i = 0; i < seconds.size(); i++) {
            wallRatios.add(anchorSeconds.get(i) / seconds.get(i));
            cpuRatios.add(anchorCpuSeconds.get(i) / cpuSeconds.get(i));
        }
        json.put("anchor", anchor.toString());
        json.put("anchor_runs_seconds", anchorSeconds);
        json.put("anchor_runs_cpu_seconds", anchorCpuSeconds);
        json.put("anchor_arrays_equal", arraysEqual);
        json.put("ratio_wall_median", median(wallRatios));
        json.put("ratio_cpu_median", median(cpuRatios));
        json.put("ratio_wall_runs", wallRatios);
        json.put("ratio_cpu_runs", cpuRatios);
        return String.format("; anchor/ours median %.2f by wall, %.2f by CPU (rounds by CPU: %s), arrays %s",
                median(wallRatios), median(cpuRatios), cpuRatios, arraysEqual ? "equal" : "not compared");
    }

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("tributary-anchor-", ".sa");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UserError("cannot create a temporary file for the anchor's array: " + e.getMessage(), e);
        }
    }

    /** Runs the anchor once; returns its own {wall, CPU} seconds as it printed them. */
    private double[] runAnchor(Path arrayOut) {
        List<String> command = new ArrayList<>(List.of(anchor.toString(), input.toString()));
        if (arrayOut != null) {
            command.add(arrayOut.toString());
        }
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            int exit = process.waitFor();
            String[] fields = output.split("\\s+");
            if (exit != 0 || fields.length != 2) {
                throw new UserError("--anchor " + anchor + " exited " + exit + " printing '" + output
                        + "' (expected '<wall s> <CPU s>')");
            }
            return new double[] {Double.parseDouble(fields[0]), Double.parseDouble(fields[1])};
        } catch (IOException | NumberFormatException e) {
            throw new UserError("--anchor " + anchor + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while the anchor ran", e);
        }
    }

    private static void compareWithAnchor(int[] suffixes, Path anchorArray) {
        try (var in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(anchorArray),
                1 << 20))) {
            if (Files.size(anchorArray) != 4L * suffixes.length) {
                throw new IllegalStateException("the anchor's array has " + Files.size(anchorArray) / 4
                        + " entries, ours " + suffixes.length);
            }
            for (int i = 0; i < suffixes.length; i++) {
                int theirs = Integer.reverseBytes(in.readInt());
                if (theirs != suffixes[i]) {
                    throw new IllegalStateException("suffix arrays differ at entry " + i + ": ours " + suffixes[i]
                            + ", the anchor's " + theirs);
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot read the anchor's array " + anchorArray + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(anchorArray);
            } catch (IOException ignored) {
                // a temporary file, deleted on exit too
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }
}
