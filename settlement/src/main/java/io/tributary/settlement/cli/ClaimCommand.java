package io.tributary.settlement.cli;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.core.crypto.Address;
import io.tributary.settlement.ClaimSubmitter;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.chain.ChainSettings;
import io.tributary.settlement.lake.SettlementLake;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary claim --epoch N --account 0x..}: submits the account's claim; the tokens go to the account. */
@Command(name = "claim", mixinStandardHelpOptions = true,
        description = "Submit an account's claim for an epoch (sent from the operator key; tokens go to the account).")
public final class ClaimCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--epoch", required = true, paramLabel = "N")
    long epoch;

    @Option(names = "--account", required = true, paramLabel = "0x..")
    String account;

    @Override
    public Integer call() {
        Address address = Address.parse(account).orElseThrow(() -> new UserError("--account is not an address: " + account));
        try (ChainConnection chain = ChainConnection.open(ChainSettings.from(global.config()))) {
            Map<String, Object> result = new ClaimSubmitter(chain, SettlementLake.open(global.config())).claim(epoch, address);
            CommandOutput.of(global).print(result, () -> String.format("epoch %d: %s %s for %s%s", epoch,
                    result.get("status"), result.get("amount"), address,
                    result.containsKey("tx") ? " (tx " + result.get("tx") + ", block " + result.get("block") + ")" : ""));
            return 0;
        }
    }
}
