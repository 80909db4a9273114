package io.tributary.serving.price;

import io.delta.kernel.engine.Engine;
import io.tributary.core.hash.Hashing;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.kernel.KernelTable;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Adapter prices from the {@code adapter_prices} table, with the configured default for adapters without one. A
 * price applies from its {@code effective_from}; the latest one already effective wins. Readers call
 * {@link #refresh()} to pick up rows written since (it re-reads only when the table's version changed).
 */
public final class PriceBook {
    /** {@code adapter_id} of the bare base model's price. */
    public static final String BASE_MODEL = "";

    private final KernelTable table;
    private final QuotedPrice defaultPrice;
    private volatile Snapshot snapshot = new Snapshot(-1, Map.of());

    private record Row(Price price, Instant effectiveFrom, Instant recordedAt, String version) {}

    private record Snapshot(long version, Map<String, List<Row>> byAdapter) {}

    public PriceBook(Engine engine, String lakeRoot, Price defaultPrice) {
        this.table = KernelTable.writing(engine, lakeRoot, LakeTable.ADAPTER_PRICES);
        this.defaultPrice = new QuotedPrice(defaultPrice, defaultVersion(defaultPrice));
    }

    /** The version name of the configured default price: changes when the default changes. */
    public static String defaultVersion(Price price) {
        return "default-" + Hashing.sha256Hex(price.promptWeiPer1k() + ":" + price.completionWeiPer1k()).substring(0, 12);
    }

    /** The deterministic version of a price row: a hash of what it says. */
    public static String version(String adapterId, Price price, Instant effectiveFrom) {
        return "p-" + Hashing.sha256Hex(String.join("\u0000", "tributary-price", adapterId, price.promptWeiPer1k().toString(),
                price.completionWeiPer1k().toString(), Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, effectiveFrom))))
                .substring(0, 16);
    }

    /**
     * Appends a price for {@code adapterId} ("" for the base model) effective from {@code effectiveFrom}; returns its
     * version. Setting the same price from the same time again adds nothing (the version is a hash of both).
     */
    public QuotedPrice set(String adapterId, Price price, Instant effectiveFrom) {
        Objects.requireNonNull(adapterId, "adapterId");
        Instant effective = effectiveFrom.truncatedTo(ChronoUnit.MICROS);
        String version = version(adapterId, price, effective);
        if (table.exists() && !table.read(OptionalLong.empty(), List.of("price_version"), "price_version", version).rows().isEmpty()) {
            return new QuotedPrice(price, version);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("adapter_id", adapterId);
        row.put("prompt_wei_per_1k", price.promptWeiPer1k().toString());
        row.put("completion_wei_per_1k", price.completionWeiPer1k().toString());
        row.put("effective_from", effective);
        row.put("price_version", version);
        row.put("recorded_at", Instant.now().truncatedTo(ChronoUnit.MICROS));
        table.append(List.of(row));
        return new QuotedPrice(price, version);
    }

    /** Re-reads the table when it changed since the last read. */
    public void refresh() {
        if (!table.exists()) {
            return;
        }
        long latest = table.latestVersion();
        if (latest == snapshot.version()) {
            return;
        }
        Map<String, List<Row>> byAdapter = new HashMap<>();
        for (Map<String, Object> row : table.read(OptionalLong.of(latest), List.of()).rows()) {
            Price price = new Price(new BigInteger((String) row.get("prompt_wei_per_1k")),
                    new BigInteger((String) row.get("completion_wei_per_1k")));
            byAdapter.computeIfAbsent((String) row.get("adapter_id"), key -> new ArrayList<>())
                    .add(new Row(price, (Instant) row.get("effective_from"), (Instant) row.get("recorded_at"),
                            (String) row.get("price_version")));
        }
        Comparator<Row> order = Comparator.comparing(Row::effectiveFrom).thenComparing(Row::recordedAt);
        byAdapter.values().forEach(rows -> rows.sort(order));
        snapshot = new Snapshot(latest, byAdapter);
    }

    /** The price of {@code adapterId} ("" for the base model) at {@code time}. */
    public QuotedPrice at(String adapterId, Instant time) {
        List<Row> rows = snapshot.byAdapter().get(adapterId);
        if (rows != null) {
            for (int i = rows.size() - 1; i >= 0; i--) {
                Row row = rows.get(i);
                if (!row.effectiveFrom().isAfter(time)) {
                    return new QuotedPrice(row.price(), row.version());
                }
            }
        }
        return defaultPrice;
    }
}
