package io.tributary.settlement;

import io.tributary.core.cli.CommandLauncher;
import io.tributary.settlement.cli.AnchorCommand;
import io.tributary.settlement.cli.BenchSettlementCommand;
import io.tributary.settlement.cli.ChainCommand;
import io.tributary.settlement.cli.ClaimCommand;
import io.tributary.settlement.cli.ProofCommand;
import io.tributary.settlement.cli.SettleCommand;
import picocli.CommandLine.Command;

/** The settlement module's commands: settle, proof, claim, anchor, chain, bench-settlement. */
@Command(name = "tributary", mixinStandardHelpOptions = true,
        subcommands = {SettleCommand.class, ProofCommand.class, ClaimCommand.class, AnchorCommand.class,
                ChainCommand.class, BenchSettlementCommand.class})
public final class SettlementMain {
    public static void main(String[] args) {
        CommandLauncher.main(new SettlementMain(), args);
    }
}
