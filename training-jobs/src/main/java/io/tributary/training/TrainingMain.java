package io.tributary.training;

import io.tributary.core.cli.CommandLauncher;
import io.tributary.training.command.AdaptersCommand;
import io.tributary.training.command.BenchCommand;
import io.tributary.training.command.ModelCommand;
import io.tributary.training.command.TrainCommand;
import picocli.CommandLine.Command;

/** Entry point of the training-jobs module: {@code model}, {@code train}, {@code adapters} and {@code bench}. */
@Command(name = "tributary", mixinStandardHelpOptions = true,
        subcommands = {ModelCommand.class, TrainCommand.class, AdaptersCommand.class, BenchCommand.class})
public final class TrainingMain {
    public static void main(String[] args) {
        CommandLauncher.main(new TrainingMain(), args);
    }
}
