package io.tributary.settlement.chain;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tributary.core.cli.Json;
import io.tributary.core.cli.UserError;
import io.tributary.core.config.RedactedUrl;
import io.tributary.core.crypto.Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the contracts live on one chain: what `chain up` and `chain deploy` write and every other command reads.
 * The file keeps the RPC URL redacted (providers put API keys in it); a remote chain's URL comes from the
 * configuration each time.
 */
public record Deployment(String rpcUrl, long chainId, Address token, Address distributor, Address registry,
                         Address operator, boolean local) {
    public static final String FILE_NAME = "deployment.json";

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rpc_url", RedactedUrl.of(rpcUrl));
        json.put("chain_id", chainId);
        json.put("token", token.value());
        json.put("distributor", distributor.value());
        json.put("registry", registry.value());
        json.put("operator", operator.value());
        json.put("local", local);
        return json;
    }

    public void write(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
            Path temporary = stateDir.resolve(FILE_NAME + ".tmp");
            Files.writeString(temporary, Json.write(toJson()) + "\n");
            Files.move(temporary, stateDir.resolve(FILE_NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserError("cannot write the deployment file under " + stateDir + ": " + e.getMessage(), e);
        }
    }

    public static Optional<Deployment> read(Path stateDir) {
        Path file = stateDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> json = Json.MAPPER.readValue(file.toFile(), new TypeReference<>() {});
            return Optional.of(new Deployment(
                    (String) json.get("rpc_url"),
                    ((Number) json.get("chain_id")).longValue(),
                    Address.of((String) json.get("token")),
                    Address.of((String) json.get("distributor")),
                    Address.of((String) json.get("registry")),
                    Address.of((String) json.get("operator")),
                    Boolean.TRUE.equals(json.get("local"))));
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot read the deployment file " + file + ": " + e.getMessage(), e);
        }
    }
}
