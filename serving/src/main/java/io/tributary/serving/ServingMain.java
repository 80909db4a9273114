package io.tributary.serving;

import io.tributary.core.cli.CommandLauncher;
import io.tributary.serving.command.AdaptersPriceCommand;
import io.tributary.serving.command.BenchServeCommand;
import io.tributary.serving.command.KeysCommand;
import io.tributary.serving.command.ServeCommand;
import picocli.CommandLine.Command;

/** Entry point of the serving module: {@code serve}, {@code keys}, {@code adapters price} and {@code bench serve}. */
@Command(name = "tributary", mixinStandardHelpOptions = true,
        subcommands = {ServeCommand.class, KeysCommand.class, AdaptersPriceCommand.class, BenchServeCommand.class})
public final class ServingMain {
    public static void main(String[] args) {
        CommandLauncher.main(new ServingMain(), args);
    }
}
