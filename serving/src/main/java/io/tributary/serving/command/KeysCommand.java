package io.tributary.serving.command;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.core.crypto.Address;
import io.tributary.serving.ServingSettings;
import io.tributary.serving.keys.ApiKey;
import io.tributary.serving.keys.ApiKeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keys create|list|revoke}: API keys whose hashes live in the keystore file. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list and revoke API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand {

    static ApiKeyStore store(GlobalOptions global) {
        return new ApiKeyStore(ServingSettings.from(global.config()).keystore());
    }

    /** Makes a key and prints it once. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an API key paid for by --account; the key is printed once and only its hash is stored.")
    static final class Create implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Option(names = "--account", required = true, description = "0x address that pays for the key's requests.")
        String account;
        @Option(names = "--name", defaultValue = "", description = "A label for the key.")
        String name;

        @Override
        public Integer call() {
            Address payer = Address.parse(account).orElseThrow(() -> new UserError("--account '" + account + "' is not a 0x address"));
            ApiKeyStore store = store(global);
            ApiKeyStore.Created created = store.create(payer, name);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("key", created.secret());
            json.put("key_id", created.key().keyId());
            json.put("account", payer.value());
            json.put("name", name);
            json.put("keystore", store.file().toString());
            CommandOutput.of(global).print(json, () -> created.secret() + "\n(key id " + created.key().keyId() + ", account "
                    + payer.value() + "; shown once: only its hash is kept in " + store.file() + ")");
            return 0;
        }
    }

    /** The keystore's entries: ids, accounts and names, never keys. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List key ids, accounts and names (never keys).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Override
        public Integer call() {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ApiKey key : store(global).list()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("key_id", key.keyId());
                row.put("account", key.account().value());
                row.put("name", key.name());
                row.put("created_at", key.createdAt().toString());
                row.put("revoked", key.revoked());
                rows.add(row);
            }
            CommandOutput.of(global).print(Map.of("keys", rows), () -> {
                StringBuilder text = new StringBuilder(String.format("%-16s %-42s %-8s %s%n", "key id", "account", "status", "name"));
                rows.forEach(row -> text.append(String.format("%-16s %-42s %-8s %s%n", row.get("key_id"), row.get("account"),
                        (Boolean) row.get("revoked") ? "revoked" : "live", row.get("name"))));
                return text.toString().stripTrailing();
            });
            return 0;
        }
    }

    /** Revokes a key by id. */
    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by its id; servers stop accepting it within a second.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        GlobalOptions global;
        @Option(names = "--key-id", required = true, description = "The key's id (16 hex digits, from keys list).")
        String keyId;

        @Override
        public Integer call() {
            if (!store(global).revoke(keyId)) {
                throw new UserError("no live key with id '" + keyId + "'");
            }
            CommandOutput.of(global).print(Map.of("revoked", keyId), () -> "revoked key " + keyId);
            return 0;
        }
    }
}
