package io.tributary.ingestion.command;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.ingestion.sample.SampleWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary sample-world}: writes the demo's signed sample contributions. */
@Command(name = "sample-world", mixinStandardHelpOptions = true,
        description = "Write the demo's sample Datanet files: SPDX license texts signed by generated contributors.")
public final class SampleWorldCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "--spdx", paramLabel = "FILE",
            description = "spdx-full.json of the npm package spdx-license-list (default: under TRIBUTARY_TOOLS).")
    Path spdx;

    @Option(names = "--contributors", defaultValue = "30", paramLabel = "N")
    int contributors;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N")
    long seed;

    @Override
    public Integer call() throws Exception {
        Path source = spdx;
        if (source == null) {
            String tools = System.getenv().getOrDefault("TRIBUTARY_TOOLS", "tools/node_modules");
            source = Path.of(tools, "spdx-license-list", "spdx-full.json");
        }
        if (!Files.isRegularFile(source)) {
            throw new UserError("SPDX license texts not found at " + source
                    + "; run `npm ci` in tools/ (bin/tributary does it on first use)");
        }
        Map<String, Object> summary = new SampleWorld(seed, contributors).writeLegal(source, out);
        CommandOutput.of(global).print(summary, () -> String.format(
                "wrote %s lines for Datanet %s under %s: %s license texts by %s contributors, %s re-submissions, "
                        + "%s reformatted copies, %s bad lines",
                summary.get("lines"), summary.get("datanet"), summary.get("directory"), summary.get("licenses"),
                summary.get("contributors"), summary.get("resubmissions"), summary.get("reformatted_copies"),
                summary.get("bad_lines")));
        return 0;
    }
}
