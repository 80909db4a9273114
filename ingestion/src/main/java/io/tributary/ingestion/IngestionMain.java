package io.tributary.ingestion;

import io.tributary.core.cli.CommandLauncher;
import io.tributary.ingestion.command.BenchIngestCommand;
import io.tributary.ingestion.command.DatanetCommand;
import io.tributary.ingestion.command.IngestCommand;
import io.tributary.ingestion.command.SampleWorldCommand;
import io.tributary.ingestion.command.SqlCommand;
import picocli.CommandLine.Command;

/** Entry point of the ingestion module's commands (see tributary-commands.txt). */
@Command(name = "tributary", mixinStandardHelpOptions = true,
        subcommands = {DatanetCommand.class, IngestCommand.class, SqlCommand.class, SampleWorldCommand.class,
                BenchIngestCommand.class})
public final class IngestionMain {
    public static void main(String[] args) {
        CommandLauncher.main(new IngestionMain(), args);
    }
}
