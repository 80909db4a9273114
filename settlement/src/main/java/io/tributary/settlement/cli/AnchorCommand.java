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

/** {@code tributary anchor --datanet ID}: anchors the Datanet's batches not anchored yet; {@code --adapter ID}: an adapter. */
@Command(name = "anchor", mixinStandardHelpOptions = true,
        description = "Anchor the Merkle roots of a Datanet's ingestion batches in the DatanetRegistry (each once).")
public final class AnchorCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--datanet", paramLabel = "ID", description = "Anchor the Datanet's ingestion batches.")
    String datanet;

    @Option(names = "--adapter", paramLabel = "ID",
            description = "Instead: anchor an adapter (its files' sha256 and the root of its training contributions).")
    String adapter;

    @Override
    public Integer call() {
        if (adapter != null) {
            try (ChainConnection chain = ChainConnection.open(ChainSettings.from(global.config()))) {
                Map<String, Object> result = io.tributary.settlement.AdapterAnchorer.of(chain,
                        io.tributary.lake.kernel.KernelTable.engine(global.config().map("tributary.hadoop.conf")),
                        global.config().lakeRoot()).anchor(adapter);
                CommandOutput.of(global).print(result, () -> String.format("adapter %s: %s (files %s, training root %s over %s"
                        + " contributions) tx %s block %s", adapter, result.get("status"), result.get("adapter_sha256"),
                        result.get("training_root"), result.get("training_contributions"), result.get("tx"), result.get("block")));
                return 0;
            }
        }
        if (datanet == null) {
            throw new UserError("give --datanet ID (its batches) or --adapter ID");
        }
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
