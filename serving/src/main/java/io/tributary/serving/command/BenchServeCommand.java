package io.tributary.serving.command;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import io.tributary.model.llama.ModelPreset;
import io.tributary.serving.bench.ServeBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench serve}: the server under a skewed multi-adapter workload against its anchors (see docs/benchmarks.md). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Serving benchmarks.",
        subcommands = BenchServeCommand.Serve.class)
public final class BenchServeCommand {

    /** Runs the scenarios side by side and prints one table. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Base model, one adapter, this server at N adapters, and the naive server, side by side in one run.")
    static final class Serve implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Option(names = "--preset", defaultValue = "tiny", description = "Model shape, a preset of model init: tiny, small or smollm-135m (random weights).")
        String preset;
        @Option(names = "--adapters", defaultValue = "1,100,1000", split = ",", description = "Adapter counts N of scenario (b).")
        List<Integer> adapters;
        @Option(names = "--requests", defaultValue = "256", description = "Requests per scenario.")
        int requests;
        @Option(names = "--clients", defaultValue = "32", description = "Concurrent clients of the closed loop.")
        int clients;
        @Option(names = "--rate", defaultValue = "0", description = "Poisson arrivals per second instead of the closed loop (0 = closed loop).")
        double rate;
        @Option(names = "--zipf", defaultValue = "1.0", description = "Power-law exponent s of adapter popularity (P(k) ~ 1/k^s).")
        double zipf;
        @Option(names = "--prompt-tokens", defaultValue = "32:128", description = "Prompt length range in bytes tokens, uniform.")
        String promptTokens;
        @Option(names = "--output-tokens", defaultValue = "16:64", description = "max_tokens range, uniform.")
        String outputTokens;
        @Option(names = "--cold-starts", defaultValue = "20", description = "Cold-start samples.")
        int coldStarts;
        @Option(names = "--rounds", defaultValue = "1", description = "Rounds of all scenarios, interleaved; the table shows medians.")
        int rounds;
        @Option(names = "--seed", defaultValue = "1", description = "Workload seed.")
        long seed;
        @Option(names = "--work", defaultValue = "/tmp/tributary-bench-serve", description = "Scratch directory (model, adapters, lakes).")
        Path work;

        @Override
        public Integer call() throws Exception {
            TributaryConfig config = global.config();
            int[] prompt = range(promptTokens, "--prompt-tokens");
            int[] output = range(outputTokens, "--output-tokens");
            Path licenses = Path.of(System.getenv().getOrDefault("TRIBUTARY_TOOLS", "tools/node_modules"), "spdx-license-list", "licenses");
            if (!Files.isDirectory(licenses)) {
                throw new UserError("the SPDX licence texts are missing at " + licenses + " (bin/tributary installs tools/node_modules)");
            }
            ai.djl.engine.Engine.getInstance();
            ServeBenchmark.Options options = new ServeBenchmark.Options(preset, adapters, requests, clients, rate, zipf, prompt[0], prompt[1],
                    output[0], output[1], seed, work, licenses, coldStarts, rounds);
            Map<String, Object> out = new ServeBenchmark(options, ModelPreset.parse(preset).config()).run();
            out.put("conf", config.origin());
            CommandOutput.of(global).print(out, () -> table(out));
            return 0;
        }

        private static int[] range(String text, String option) {
            String[] parts = text.split(":");
            try {
                int[] range = {Integer.parseInt(parts[0]), Integer.parseInt(parts[parts.length - 1])};
                if (range[0] < 1 || range[1] < range[0]) {
                    throw new NumberFormatException();
                }
                return range;
            } catch (RuntimeException e) {
                throw new UserError(option + " '" + text + "' must be MIN:MAX with 1 <= MIN <= MAX");
            }
        }

        @SuppressWarnings("unchecked")
        private static String table(Map<String, Object> out) {
            StringBuilder text = new StringBuilder(String.format("%-40s %9s %8s %10s %12s %9s %9s %9s %9s %10s %10s%n", "scenario", "adapters",
                    "distinct", "tokens/s", "tok/eng CPU", "ttft p50", "ttft p99", "lat p50", "lat p99", "adapters MB", "RSS MB"));
            Map<String, List<ServeBenchmark.Result>> byScenario = new java.util.LinkedHashMap<>();
            for (ServeBenchmark.Result r : (List<ServeBenchmark.Result>) out.get("results")) {
                byScenario.computeIfAbsent(r.scenario(), k -> new java.util.ArrayList<>()).add(r);
            }
            for (List<ServeBenchmark.Result> rounds : byScenario.values()) {
                List<ServeBenchmark.Result> sorted = rounds.stream()
                        .sorted(java.util.Comparator.comparingDouble(ServeBenchmark.Result::tokensPerSecond)).toList();
                ServeBenchmark.Result r = sorted.get(sorted.size() / 2);  // the median round by tokens/s
                text.append(String.format("%-40s %9d %8d %10.1f %12.1f %9.3f %9.3f %9.2f %9.2f %10.1f %10.0f%n", r.scenario(), r.adapters(),
                        r.distinctAdapters(), r.tokensPerSecond(), r.tokensPerEngineCpuSecond(), r.ttftP50(), r.ttftP99(), r.latencyP50(), r.latencyP99(),
                        r.adapterDeviceBytes() / 1e6, r.rssBytes() / 1048576.0));
            }
            text.append("base weights: ").append(((List<ServeBenchmark.Result>) out.get("results")).get(0).baseBytes() / 1048576.0).append(" MiB\n");
            text.append("cold start: ").append(out.get("cold_start"));
            return text.toString();
        }
    }

}
