package io.tributary.attribution.command;

import io.tributary.attribution.bench.AttributionBenchmark;
import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.io.FileTrees;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench attribution}: throughput (traced+split beside the trace alone), commit latency and planted fidelity. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Attribution stream benchmarks.",
        subcommands = BenchAttributionCommand.Attribution.class)
public final class BenchAttributionCommand {

    @Command(name = "attribution", mixinStandardHelpOptions = true,
            description = "Inferences per CPU-second traced and split (beside the trace alone), append-to-commit latency"
                    + " on the real job, and attribution fidelity on a planted log (see docs/benchmarks.md).")
    static final class Attribution implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Option(names = "--index-tokens", defaultValue = "100000000",
                description = "Size of the index in byte tokens (natural: at most the text the machine has).")
        long indexTokens;
        @Option(names = "--corpus", defaultValue = "made-up",
                description = "made-up (documents of made-up words, one unique quote per completion) or natural (Debian's"
                        + " licence and copyright files, then changelogs; two quotes per completion between held-out changelog filler).")
        String corpus;
        @Option(names = "--inferences", defaultValue = "5000", description = "Planted inferences of 200 tokens for throughput and fidelity.")
        int inferences;
        @Option(names = "--warmup", defaultValue = "200",
                description = "Records attributed (every side) before timing, cycling the workload: the JIT of the split keeps"
                        + " recompiling for tens of thousands of records, so steady-state figures need many.")
        int warmup;
        @Option(names = "--training-contributions", defaultValue = "0",
                description = "Indexed documents the adapter was trained on (their training-token shares become priors).")
        int trainingContributions;
        @Option(names = "--latency-files", defaultValue = "40",
                description = "Log files appended one at a time for the latency run (0: no latency run).")
        int latencyFiles;
        @Option(names = "--per-file", defaultValue = "25", description = "Records per appended file.")
        int perFile;
        @Option(names = "--checkpoint-ms", defaultValue = "1000", description = "Checkpoint interval of the latency run.")
        long checkpointMs;
        @Option(names = "--gap-ms", defaultValue = "250", description = "Pause between appended files.")
        long gapMs;
        @Option(names = "--seed", defaultValue = "1", description = "Workload seed.")
        long seed;
        @Option(names = "--work", defaultValue = "/tmp/tributary-bench-attribution", description = "Scratch directory (emptied first).")
        Path work;

        @Override
        public Integer call() throws Exception {
            FileTrees.delete(work);
            AttributionBenchmark.Corpus chosen = switch (corpus) {
                case "made-up" -> AttributionBenchmark.Corpus.MADE_UP;
                case "natural" -> AttributionBenchmark.Corpus.NATURAL;
                default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--corpus must be made-up or natural, not '" + corpus + "'");
            };
            AttributionBenchmark bench = new AttributionBenchmark(work, indexTokens, inferences, seed, trainingContributions,
                    chosen);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("available_processors", Runtime.getRuntime().availableProcessors());
            result.put("index", bench.prepare());
            result.put("throughput_and_fidelity", bench.throughput(warmup));
            if (latencyFiles > 0) {
                result.put("latency", bench.latency(latencyFiles, perFile, checkpointMs, gapMs));
            }
            CommandOutput.of(global).print(result, () -> result.toString().replace(", ", ",\n  "));
            return 0;
        }
    }
}
