package io.tributary.operations;

import io.tributary.core.cli.CommandLauncher;
import io.tributary.operations.audit.AuditCommand;
import io.tributary.operations.dashboard.DashboardCommand;
import io.tributary.operations.pipeline.PipelineCommand;
import picocli.CommandLine.Command;

/** Entry point of the operations module: {@code pipeline} (plan, step, run), {@code audit} and {@code dashboard}. */
@Command(name = "tributary", mixinStandardHelpOptions = true, subcommands = {PipelineCommand.class, AuditCommand.class, DashboardCommand.class})
public final class OperationsMain {
    public static void main(String[] args) {
        CommandLauncher.main(new OperationsMain(), args);
    }
}
