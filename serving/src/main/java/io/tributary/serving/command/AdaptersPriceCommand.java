package io.tributary.serving.command;

import io.delta.kernel.engine.Engine;
import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.lake.kernel.adapters.AdapterRegistry;
import io.tributary.serving.ServingSettings;
import io.tributary.serving.price.Price;
import io.tributary.serving.price.PriceBook;
import io.tributary.serving.price.QuotedPrice;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code adapters price}: a new price row for an adapter (or the base model) in the adapter_prices table. */
@Command(name = "adapters", mixinStandardHelpOptions = true, description = "Price LoRA adapters.",
        subcommands = AdaptersPriceCommand.PriceAdapter.class)
public final class AdaptersPriceCommand {

    /** Appends a price effective from a time. */
    @Command(name = "price", mixinStandardHelpOptions = true,
            description = "Set an adapter's price in wei per 1,000 prompt and completion tokens, effective from a time.")
    static final class PriceAdapter implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Option(names = "--adapter", required = true, description = "Adapter id or registered name; 'base' for the bare base model.")
        String adapter;
        @Option(names = "--prompt-wei-per-1k", required = true, description = "Wei per 1,000 prompt tokens (integer).")
        String promptPrice;
        @Option(names = "--completion-wei-per-1k", required = true, description = "Wei per 1,000 completion tokens (integer).")
        String completionPrice;
        @Option(names = "--effective-from", description = "UTC time the price starts, ISO-8601 (default: now).")
        String effectiveFrom;

        @Override
        public Integer call() {
            TributaryConfig config = global.config();
            Engine engine = KernelTable.engine(config.map("tributary.hadoop.conf"));
            String adapterId = adapterId(new AdapterRegistry(engine, config.lakeRoot()));
            Price price = new Price(wei(promptPrice, "--prompt-wei-per-1k"), wei(completionPrice, "--completion-wei-per-1k"));
            Instant from;
            try {
                from = effectiveFrom == null ? Instant.now() : Instant.parse(effectiveFrom);
            } catch (DateTimeParseException e) {
                throw new UserError("--effective-from '" + effectiveFrom + "' is not an ISO-8601 UTC time such as 2026-12-01T00:00:00Z");
            }
            QuotedPrice quoted = new PriceBook(engine, config.lakeRoot(), ServingSettings.from(config).defaultPrice())
                    .set(adapterId, price, from);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("adapter_id", adapterId);
            json.put("prompt_wei_per_1k", price.promptWeiPer1k().toString());
            json.put("completion_wei_per_1k", price.completionWeiPer1k().toString());
            json.put("effective_from", from.toString());
            json.put("price_version", quoted.version());
            CommandOutput.of(global).print(json, () -> "price " + quoted.version() + " of "
                    + (adapterId.isEmpty() ? "the base model" : "adapter " + adapterId) + ": " + price.promptWeiPer1k()
                    + " wei per 1k prompt tokens, " + price.completionWeiPer1k() + " per 1k completion tokens, from " + from);
            return 0;
        }

        private String adapterId(AdapterRegistry registry) {
            if (adapter.equals("base")) {
                return PriceBook.BASE_MODEL;
            }
            List<Map<String, Object>> rows = registry.list(List.of("adapter_id", AdapterRegistry.NAME));
            List<String> matches = rows.stream()
                    .filter(row -> adapter.equals(row.get("adapter_id")) || adapter.equals(row.get(AdapterRegistry.NAME)))
                    .map(row -> (String) row.get("adapter_id")).distinct().toList();
            if (matches.size() != 1) {
                throw new UserError(matches.isEmpty() ? "no registered adapter with id or name '" + adapter + "' in " + registry.path()
                        : "adapter name '" + adapter + "' is ambiguous: " + matches);
            }
            return matches.get(0);
        }

        private static BigInteger wei(String text, String option) {
            if (!text.matches("0|[1-9][0-9]{0,77}")) {
                throw new UserError(option + " '" + text + "' is not a non-negative integer (wei)");
            }
            return new BigInteger(text);
        }
    }
}
