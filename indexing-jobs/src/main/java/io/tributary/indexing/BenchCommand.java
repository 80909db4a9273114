package io.tributary.indexing;

import picocli.CommandLine.Command;

/** {@code tributary bench}: suffix-array construction speed and index query latency. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks of the index: suffix-array construction and query latency.")
public final class BenchCommand {
}
