package io.tributary.serving.interim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.lora.LoraAdapter;
import java.nio.file.Path;

/** Interim stand-in for model-runtime's {@code io.tributary.model.batch.DeviceAdapter} until the runtime branch lands. */
public final class DeviceAdapter implements AutoCloseable {
    final LoraAdapter lora;
    private final int rank;
    private final long bytes;
    private final boolean owned;

    private DeviceAdapter(LoraAdapter lora, boolean owned) {
        this.lora = lora;
        this.owned = owned;
        this.rank = lora.settings().rank();
        long total = 0;
        for (LoraAdapter.LoraPair pair : lora.pairs().values()) {
            total += (pair.a().size() + pair.b().size()) * 4;
        }
        this.bytes = total;
    }

    public static DeviceAdapter load(Path peftDirectory, LlamaConfig base, NDManager device) {
        return new DeviceAdapter(LoraAdapter.load(peftDirectory, base, device), true);
    }

    public static DeviceAdapter of(LoraAdapter adapter, NDManager device) {
        return new DeviceAdapter(adapter, false);
    }

    public int rank() {
        return rank;
    }

    public long deviceBytes() {
        return bytes;
    }

    @Override
    public void close() {
        if (owned) {
            lora.close();
        }
    }

    static long size(NDArray array) {
        return array.size();
    }
}
