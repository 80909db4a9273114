package io.tributary.serving.command;

import io.tributary.core.cli.GlobalOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bench serve}: the server under a skewed multi-adapter workload against its anchors (see docs/benchmarks.md). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Serving benchmarks.",
        subcommands = BenchServeCommand.Serve.class)
public final class BenchServeCommand {

    /** Placeholder wired below once the benchmark exists. */
    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Benchmark the server.")
    static final class Serve implements Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Override
        public Integer call() {
            return 0;
        }
    }
}
