package io.tributary.indexing;

import io.tributary.indexing.bench.IndexQueryBenchmark;
import io.tributary.indexing.bench.SuffixArrayBenchmark;
import picocli.CommandLine.Command;

/** {@code tributary bench}: suffix-array construction speed, index query latency and influence quality. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks of the index (suffix-array construction, query latency) and of influence.",
        subcommands = {SuffixArrayBenchmark.class, IndexQueryBenchmark.class,
            io.tributary.indexing.influence.bench.InfluenceBenchmark.class})
public final class BenchCommand {
}
