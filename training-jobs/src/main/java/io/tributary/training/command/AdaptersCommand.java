package io.tributary.training.command;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.config.TributaryConfig;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.lake.kernel.adapters.AdapterRegistry;
import io.tributary.model.batch.AdapterMerge;
import io.tributary.model.llama.ModelDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code adapters list|merge}: the registered adapters, and folding one into its base model. */
@Command(name = "adapters", mixinStandardHelpOptions = true, description = "List and merge LoRA adapters.",
        subcommands = {AdaptersCommand.ListAdapters.class, AdaptersCommand.Merge.class})
public final class AdaptersCommand {

    /** Rows of the adapters table. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the adapters registered in the lake.")
    static final class ListAdapters implements Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Override
        public Integer call() {
            TributaryConfig config = global.config();
            AdapterRegistry registry = new AdapterRegistry(KernelTable.engine(config.map("tributary.hadoop.conf")),
                    config.lakeRoot());
            List<Map<String, Object>> rows = registry.list(AdapterRegistry.LIST_COLUMNS);
            for (Map<String, Object> row : rows) {
                row.put("created_at", row.get("created_at").toString());
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("table", registry.path());
            json.put("adapters", rows);
            CommandOutput.of(global).print(json, () -> {
                if (rows.isEmpty()) {
                    return "no adapters registered in " + registry.path();
                }
                StringBuilder text = new StringBuilder(String.format("%-16s %-12s %7s %4s %-24s %9s %9s  %s%n",
                        "adapter", "datanet", "version", "r", "targets", "loss was", "loss now", "path"));
                for (Map<String, Object> row : rows) {
                    text.append(String.format("%-16s %-12s %7s %4s %-24s %9s %9s  %s%n",
                            ((String) row.get("adapter_id")).substring(0, 16), row.get("datanet"), row.get("datanet_version"),
                            row.get("rank"), row.get("target_modules"), loss(row.get("eval_loss_before")),
                            loss(row.get("eval_loss_after")), row.get("artifact_path")));
                }
                return text.toString().stripTrailing();
            });
            return 0;
        }

        private static String loss(Object value) {
            return value == null ? "n/a" : String.format("%.4f", (Double) value);
        }
    }

    /** W + scale * B A into a new model directory. */
    @Command(name = "merge", mixinStandardHelpOptions = true, description = "Write a full model with the adapter folded in.")
    static final class Merge implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Option(names = "--base", required = true, description = "Base model directory.")
        Path base;
        @Option(names = "--adapter", required = true, description = "PEFT LoRA adapter directory.")
        Path adapter;
        @Option(names = "--out", required = true, description = "Directory of the merged model.")
        Path out;

        @Override
        public Integer call() {
            int merged = AdapterMerge.merge(base, adapter, out);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("path", out.toAbsolutePath().toString());
            json.put("merged_projections", merged);
            json.put("sha256", ModelDirectory.fingerprint(out));
            CommandOutput.of(global).print(json, () -> "merged " + merged + " projections into " + out);
            return 0;
        }
    }
}
