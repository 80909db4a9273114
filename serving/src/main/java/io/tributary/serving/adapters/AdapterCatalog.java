package io.tributary.serving.adapters;

import io.tributary.lake.kernel.adapters.AdapterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The adapters this server can serve: the rows of the {@code adapters} table trained on the served base model
 * (same {@code base_model_sha256}), re-read when the table changes, so an adapter registered while the server runs
 * becomes servable without a restart. Looked up by id, by its registered name, or by an alias given through
 * {@code /v1/load_lora_adapter}.
 */
public final class AdapterCatalog {
    private static final List<String> COLUMNS = List.of("adapter_id", AdapterRegistry.NAME, "datanet", "datanet_version",
            "base_model_sha256", "adapter_sha256", "artifact_path", "creator", "rank", "created_at");

    private final AdapterRegistry registry;
    private final String baseModelSha256;
    private final Map<String, String> aliases = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(-2, Map.of(), Map.of(), Map.of());

    private record Snapshot(long version, Map<String, ServedAdapter> byId, Map<String, List<String>> idsByName,
                            Map<String, String> otherBase) {}

    public AdapterCatalog(AdapterRegistry registry, String baseModelSha256) {
        this.registry = registry;
        this.baseModelSha256 = baseModelSha256;
    }

    /** Re-reads the table when its version changed; true when it did. */
    public boolean refresh() {
        long version = registry.version();
        if (version == snapshot.version()) {
            return false;
        }
        Map<String, ServedAdapter> byId = new LinkedHashMap<>();
        Map<String, List<String>> idsByName = new HashMap<>();
        Map<String, String> otherBase = new HashMap<>();
        for (Map<String, Object> row : registry.list(COLUMNS)) {
            String id = (String) row.get("adapter_id");
            String base = (String) row.get("base_model_sha256");
            // Ids name cache directories and log fields: only well-formed ones are served.
            if (id == null || !id.matches("[0-9a-f]{64}") || row.get("adapter_sha256") == null
                    || !((String) row.get("adapter_sha256")).matches("[0-9a-f]{64}") || row.get("datanet") == null) {
                continue;
            }
            if (!baseModelSha256.equals(base)) {
                otherBase.put(id, base == null ? "" : base);
                continue;
            }
            String name = row.get(AdapterRegistry.NAME) == null ? "" : (String) row.get(AdapterRegistry.NAME);
            ServedAdapter adapter = new ServedAdapter(id, name, (String) row.get("datanet"),
                    row.get("datanet_version") == null ? 0 : (Long) row.get("datanet_version"), base,
                    (String) row.get("adapter_sha256"), (String) row.get("artifact_path"),
                    row.get("creator") == null ? "" : (String) row.get("creator"),
                    row.get("rank") == null ? 0 : (Integer) row.get("rank"),
                    row.get("created_at") == null ? Instant.EPOCH : (Instant) row.get("created_at"), List.of());
            byId.put(id, adapter);
            if (!name.isEmpty()) {
                idsByName.computeIfAbsent(name, key -> new ArrayList<>()).add(id);
            }
        }
        snapshot = new Snapshot(version, byId, idsByName, otherBase);
        return true;
    }

    /** Every servable adapter, in registration order. */
    public Collection<ServedAdapter> all() {
        return snapshot.byId().values();
    }

    public int size() {
        return snapshot.byId().size();
    }

    public Optional<ServedAdapter> byId(String adapterId) {
        return Optional.ofNullable(snapshot.byId().get(adapterId));
    }

    /** Finds an adapter by id, registered name or alias; explains why when there is none. */
    public Lookup find(String model) {
        Snapshot current = snapshot;
        ServedAdapter byId = current.byId().get(model);
        if (byId != null) {
            return new Lookup.Found(byId);
        }
        String aliased = aliases.get(model);
        if (aliased != null && current.byId().containsKey(aliased)) {
            return new Lookup.Found(current.byId().get(aliased));
        }
        List<String> named = current.idsByName().get(model);
        if (named != null && named.size() == 1) {
            return new Lookup.Found(current.byId().get(named.get(0)));
        }
        if (named != null) {
            return new Lookup.Missing("adapter name '" + model + "' is ambiguous: adapters " + named + "; name one by id");
        }
        String base = current.otherBase().get(model);
        if (base != null) {
            return new Lookup.Missing("adapter " + model + " was trained on base model " + base
                    + ", not on the base model this server serves (" + baseModelSha256 + ")");
        }
        return new Lookup.Missing("the model '" + abbreviate(model) + "' does not exist: not the base model, nor a registered adapter's id or name");
    }

    /** The registered adapter whose artifact directory is {@code directory}, if any. */
    public Optional<ServedAdapter> byDirectory(java.nio.file.Path directory) {
        java.nio.file.Path wanted = directory.toAbsolutePath().normalize();
        return all().stream().filter(adapter -> adapter.localDirectory() != null
                && adapter.localDirectory().toAbsolutePath().normalize().equals(wanted)).findFirst();
    }

    public void alias(String name, String adapterId) {
        aliases.put(name, adapterId);
    }

    /** Removes an alias; returns the adapter id it named, if any. */
    public Optional<String> unalias(String name) {
        return Optional.ofNullable(aliases.remove(name));
    }

    /** The outcome of resolving a model name. */
    public sealed interface Lookup permits Lookup.Found, Lookup.Missing {
        record Found(ServedAdapter adapter) implements Lookup {}

        record Missing(String reason) implements Lookup {}
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
