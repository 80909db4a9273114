package io.tributary.serving.interim;

import io.tributary.model.llama.KvCache;

/** Interim stand-in for model-runtime's {@code io.tributary.model.batch.Sequence}. */
public final class Sequence implements AutoCloseable {
    final DeviceAdapter adapter;
    final KvCache cache;

    public Sequence(BatchedForward engine, DeviceAdapter adapterOrNull) {
        this.adapter = adapterOrNull;
        this.cache = new KvCache(engine.model.config().numHiddenLayers());
    }

    public int length() {
        return cache.length();
    }

    @Override
    public void close() {
        cache.close();
    }
}
