package io.tributary.training.command;

import io.delta.kernel.engine.Engine;
import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.HelpOption;
import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.crypto.Address;
import io.tributary.core.id.DatanetId;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.lake.kernel.adapters.AdapterRegistry;
import io.tributary.training.lake.ContributionsReader;
import io.tributary.model.lora.LoraSettings;
import io.tributary.model.tokenizer.LossScope;
import io.tributary.training.train.LoraTrainingJob;
import io.tributary.training.train.TrainingOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train lora}: a LoRA adapter from a pinned Datanet version. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train LoRA adapters on a pinned Datanet version.",
        subcommands = TrainCommand.Lora.class)
public final class TrainCommand {

    /** Trains, saves (PEFT layout) and registers one adapter. */
    @Command(name = "lora",
            description = "Train a LoRA adapter on the canonical contributions of a Datanet version and register it.")
    static final class Lora implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @Mixin
        GlobalOptions global;
        @Mixin
        TrainingSettings training;
        @Option(names = "--datanet", required = true, description = "Datanet id.")
        String datanet;
        @Option(names = "--version", description = "Version of the contributions table (default: latest).")
        Long version;
        @Option(names = "--base", required = true, description = "Base model directory (Hugging Face layout).")
        Path base;
        @Option(names = "--out", required = true, description = "Adapter output directory.")
        Path out;
        @Option(names = "--rank", description = "LoRA rank r.")
        Integer rank;
        @Option(names = "--alpha", description = "LoRA alpha.")
        Double alpha;
        @Option(names = "--dropout", description = "LoRA dropout.")
        Double dropout;
        @Option(names = "--target-modules", split = ",", description = "Comma-separated projections, e.g. q_proj,v_proj.")
        List<String> targetModules;
        @Option(names = "--rslora", description = "Use rank-stabilized scaling alpha/sqrt(r).")
        Boolean rsLora;
        @Option(names = "--loss-after", paramLabel = "MARKER",
                description = {"Take the loss on each contribution's completion only: the tokens after the last occurrence of",
                        "MARKER (e.g. ' A: '), the prompt masked; a contribution without it is refused; '' = the whole text",
                        "(default: tributary.training.lora.loss-after)."})
        String lossAfter;
        @Option(names = "--name", description = "Unique name requests may use for the adapter (default: none, the id only).")
        String name;
        @Option(names = "--creator", description = "Creator address recorded with the adapter (default: the profile's).")
        String creator;
        @Option(names = "--contributions", paramLabel = "FILE",
                description = "Train only on these contribution ids, one per line (retraining on a subset, e.g. bench influence).")
        Path contributions;

        @Override
        public Integer call() {
            EngineThreads.apply(global.config());
            TributaryConfig config = global.config();
            LoraSettings lora = new LoraSettings(
                    rank != null ? rank : config.integer("tributary.training.lora.rank"),
                    alpha != null ? alpha : config.decimal("tributary.training.lora.alpha"),
                    dropout != null ? dropout : config.decimal("tributary.training.lora.dropout"),
                    targetModules != null ? targetModules : config.strings("tributary.training.lora.target-modules"),
                    rsLora != null ? rsLora : config.flag("tributary.training.lora.rslora"));
            TrainingOptions options = training.resolve(config, "lora");
            LossScope scope = LossScope.after(lossAfter != null ? lossAfter : config.string("tributary.training.lora.loss-after"));
            String creatorAddress = creator != null ? creator : config.string("tributary.training.creator");
            if (!creatorAddress.isEmpty()) {
                creatorAddress = Address.parse(creatorAddress)
                        .orElseThrow(() -> new UserError("--creator '" + creator + "' is not a 0x address")).value();
            }
            Engine engine = KernelTable.engine(config.map("tributary.hadoop.conf"));
            ContributionsReader.Selection selection = new ContributionsReader(engine, config.lakeRoot())
                    .read(DatanetId.of(datanet), version == null ? OptionalLong.empty() : OptionalLong.of(version));
            if (contributions != null) {
                selection = selection.only(subset(contributions));
            }
            LoraTrainingJob.Summary summary = LoraTrainingJob.run(selection, base, out, lora, options, scope, training.resume,
                    new AdapterRegistry(engine, config.lakeRoot()), creatorAddress, name == null ? "" : name);
            CommandOutput.of(global).print(summary.json(), () -> String.format(
                    "adapter %s%n  path %s%n  datanet %s version %d (%s): %d examples, %d tokens trained%n"
                            + "  eval loss %s -> %s in %.1f s (%.0f tokens/s)%s",
                    summary.adapterId(), summary.path(), summary.datanet(), summary.version(), summary.corpusSource(),
                    summary.examples(), summary.tokens(), format(summary.evalLossBefore()), format(summary.evalLossAfter()),
                    summary.seconds(), summary.tokensPerSecond(), summary.registered() ? "" : "\n  (already registered)"));
            return 0;
        }

        private static java.util.Set<String> subset(Path file) {
            try {
                java.util.Set<String> ids = new java.util.TreeSet<>();
                for (String line : java.nio.file.Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        ids.add(line.trim());
                    }
                }
                if (ids.isEmpty()) {
                    throw new UserError("--contributions " + file + " lists no contribution ids");
                }
                return ids;
            } catch (java.io.IOException e) {
                throw new UserError("cannot read --contributions " + file + ": " + e.getMessage());
            }
        }

        private static String format(Double loss) {
            return loss == null ? "n/a" : String.format("%.4f", loss);
        }
    }

}
