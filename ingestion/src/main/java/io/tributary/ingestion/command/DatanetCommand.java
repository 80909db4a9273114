package io.tributary.ingestion.command;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.core.crypto.Address;
import io.tributary.core.id.DatanetId;
import io.tributary.ingestion.datanet.Datanet;
import io.tributary.ingestion.datanet.DatanetCatalog;
import io.tributary.ingestion.datanet.DatanetStatistics;
import io.tributary.core.money.RewardPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary datanet create|list|show}. */
@Command(name = "datanet", mixinStandardHelpOptions = true, description = "Create, list and show Datanets.",
        subcommands = {DatanetCommand.Create.class, DatanetCommand.ListDatanets.class, DatanetCommand.Show.class})
public final class DatanetCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a Datanet (an existing id is an error).")
    static final class Create implements java.util.concurrent.Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Option(names = "--id", required = true, paramLabel = "ID", description = "[a-z0-9][a-z0-9-]{0,62}")
        String id;

        @Option(names = "--name", required = true, paramLabel = "NAME")
        String name;

        @Option(names = "--topic", required = true, paramLabel = "TOPIC")
        String topic;

        @Option(names = "--owner", required = true, paramLabel = "0xADDRESS", description = "The owner's address (any case).")
        String owner;

        @Option(names = "--protocol-bps", paramLabel = "BPS", description = "Protocol share in basis points (default from the profile).")
        Integer protocolBps;

        @Option(names = "--creator-bps", paramLabel = "BPS", description = "Model creator share in basis points.")
        Integer creatorBps;

        @Option(names = "--contributors-bps", paramLabel = "BPS", description = "Contributors' share in basis points.")
        Integer contributorsBps;

        @Override
        public Integer call() {
            DatanetId datanetId = DatanetId.of(id);
            Address ownerAddress = Address.parse(owner)
                    .orElseThrow(() -> new UserError("--owner is not a 0x-prefixed 20-byte hex address: " + owner));
            Datanet created = LakeSession.with(global, lake -> {
                RewardPolicy defaults = RewardPolicy.defaults(lake.config());
                RewardPolicy policy = new RewardPolicy(
                        protocolBps == null ? defaults.protocolBps() : protocolBps,
                        creatorBps == null ? defaults.creatorBps() : creatorBps,
                        contributorsBps == null ? defaults.contributorsBps() : contributorsBps);
                return new DatanetCatalog(lake).create(datanetId, name, topic, ownerAddress, policy);
            });
            CommandOutput.of(global).print(created.toJson(),
                    () -> "created Datanet " + created.datanet() + " (" + created.name() + ", topic " + created.topic()
                            + ", owner " + created.owner() + ")");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every Datanet with its numbers.")
    static final class ListDatanets implements java.util.concurrent.Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Override
        public Integer call() {
            List<Map<String, Object>> rows = LakeSession.with(global, lake -> {
                DatanetCatalog catalog = new DatanetCatalog(lake);
                List<Datanet> datanets = catalog.list();
                Map<String, DatanetStatistics> statistics = catalog.statistics(datanets);
                List<Map<String, Object>> out = new ArrayList<>();
                for (Datanet datanet : datanets) {
                    out.add(describe(datanet, statistics.get(datanet.datanet())));
                }
                return out;
            });
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("datanets", rows);
            CommandOutput.of(global).print(json, () -> {
                if (rows.isEmpty()) {
                    return "no Datanets yet: create one with `tributary datanet create`";
                }
                StringBuilder text = new StringBuilder(String.format("%-24s %-12s %13s %12s %8s%n",
                        "DATANET", "TOPIC", "CONTRIBUTIONS", "CONTRIBUTORS", "VERSION"));
                for (Map<String, Object> row : rows) {
                    text.append(String.format("%-24s %-12s %13s %12s %8s%n", row.get("datanet"), row.get("topic"),
                            row.get("contributions"), row.get("contributors"), row.get("version")));
                }
                return text.toString().stripTrailing();
            });
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one Datanet and its numbers.")
    static final class Show implements java.util.concurrent.Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Option(names = "--datanet", required = true, paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            DatanetId datanetId = DatanetId.of(id);
            Map<String, Object> json = LakeSession.with(global, lake -> {
                DatanetCatalog catalog = new DatanetCatalog(lake);
                Datanet datanet = catalog.find(datanetId)
                        .orElseThrow(() -> new UserError("no Datanet '" + datanetId + "'"));
                return describe(datanet, catalog.statistics(List.of(datanet)).get(datanet.datanet()));
            });
            CommandOutput.of(global).print(json, () -> {
                StringBuilder text = new StringBuilder();
                json.forEach((key, value) -> text.append(String.format("%-16s %s%n", key, value)));
                return text.toString().stripTrailing();
            });
            return 0;
        }
    }

    static Map<String, Object> describe(Datanet datanet, DatanetStatistics statistics) {
        Map<String, Object> json = datanet.toJson();
        json.put("contributions", statistics.contributions());
        json.put("contributors", statistics.contributors());
        json.put("quarantined", statistics.quarantined());
        json.put("batches", statistics.batches());
        json.put("version", statistics.version());
        return json;
    }
}
