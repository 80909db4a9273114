package io.tributary.settlement.cli;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.core.id.DatanetId;
import io.tributary.settlement.BatchAnchorer;
import io.tributary.settlement.chain.ChainConnection;
import io.tributary.settlement.chain.ChainSettings;
import io.tributary.settlement.lake.SettlementLake;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary anchor --datanet ID}: anchors the Datanet's batches not anchored yet. */
@Command(name = "anchor", mixinStandardHelpOptions = true,
        description = "Anchor the Merkle roots of a Datanet's ingestion batches in the DatanetRegistry (each once).")
public final class AnchorCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--datanet", required = true, paramLabel = "ID")
    String datanet;

    @Override
    public Integer call() {
        DatanetId id;
        try {
            id = DatanetId.of(datanet);
        } catch (RuntimeException e) {
            throw new UserError("--datanet: " + e.getMessage());
        }
        try (ChainConnection chain = ChainConnection.open(ChainSettings.from(global.config()))) {
            Map<String, Object> result = new BatchAnchorer(chain, SettlementLake.open(global.config())).anchor(id);
            CommandOutput.of(global).print(result, () -> String.format(
                    "Datanet %s: %s batches, %s anchored now, %s already anchored, %s empty (registry %s)",
                    id, result.get("batches"), result.get("anchored"), result.get("already_anchored"),
                    result.get("empty"), result.get("registry")));
            return 0;
        }
    }
}
