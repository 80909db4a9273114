package io.tributary.indexing;

import io.tributary.core.cli.CommandLauncher;
import picocli.CommandLine.Command;

/** Entry point of the indexing-jobs module: bin/tributary hands it the whole command line. */
@Command(name = "tributary", mixinStandardHelpOptions = true,
        description = "Tributary's indexing jobs.",
        // The module's top-level commands, one per line; tributary-commands.txt lists the same names.
        subcommands = {
            IndexCommand.class,
            BenchCommand.class,
            io.tributary.indexing.dedup.DedupCommand.class,
            io.tributary.indexing.dedup.BenchDedupCommand.class,
            io.tributary.indexing.influence.InfluenceCommand.class,
        })
public final class IndexingMain {
    public static void main(String[] args) {
        CommandLauncher.main(new IndexingMain(), args);
    }
}
