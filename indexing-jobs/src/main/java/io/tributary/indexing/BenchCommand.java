package io.tributary.indexing;

import io.tributary.indexing.bench.IndexQueryBenchmark;
import io.tributary.indexing.bench.SuffixArrayBenchmark;
import picocli.CommandLine.Command;

/** {@code tributary bench}: suffix-array construction speed and index query latency. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks of the index: suffix-array construction and query latency.",
        subcommands = {SuffixArrayBenchmark.class, IndexQueryBenchmark.class})
public final class BenchCommand {
}
