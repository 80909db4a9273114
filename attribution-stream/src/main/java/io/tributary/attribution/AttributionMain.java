package io.tributary.attribution;

import io.tributary.attribution.command.AttributeCommand;
import io.tributary.attribution.command.BenchAttributionCommand;
import io.tributary.core.cli.CommandLauncher;
import picocli.CommandLine.Command;

/** Entry point of the attribution stream: {@code attribute}. */
@Command(name = "tributary", mixinStandardHelpOptions = true, subcommands = {AttributeCommand.class, BenchAttributionCommand.class})
public final class AttributionMain {
    public static void main(String[] args) {
        CommandLauncher.main(new AttributionMain(), args);
    }
}
