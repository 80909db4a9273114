package io.tributary.model.lora;

import io.tributary.core.hash.Hashing;
import io.tributary.core.hash.Hex;
import io.tributary.model.llama.ModelDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The content identity of a PEFT adapter directory, as the {@code adapters} table records it. */
public final class AdapterFingerprint {
    private AdapterFingerprint() {}

    /** sha256 of the hex sha256s of adapter_config.json and adapter_model.safetensors, in that order. */
    public static String sha256(Path directory) {
        String config = ModelDirectory.fileSha256(directory.resolve(LoraAdapter.CONFIG_FILE));
        String weights = ModelDirectory.fileSha256(directory.resolve(LoraAdapter.WEIGHTS_FILE));
        return Hex.encode(Hashing.sha256((config + weights).getBytes(StandardCharsets.UTF_8)));
    }
}
