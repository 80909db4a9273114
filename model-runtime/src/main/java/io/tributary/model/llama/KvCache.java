package io.tributary.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/** Keys and values of every layer for the positions seen so far, so generation runs one new token at a time. */
public final class KvCache implements AutoCloseable {
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    public KvCache(int layers) {
        keys = new NDArray[layers];
        values = new NDArray[layers];
    }

    /** Positions already cached (the next token's position). */
    public int length() {
        return length;
    }

    /** Appends this step's keys and values [B, kvHeads, T, headDim] of {@code layer}; returns the full ones. */
    NDArray[] append(int layer, NDArray key, NDArray value) {
        NDArray fullKey = keys[layer] == null ? key.duplicate() : keys[layer].concat(key, 2);
        NDArray fullValue = values[layer] == null ? value.duplicate() : values[layer].concat(value, 2);
        // The cache outlives the scope of one forward step.
        NDScope.unregister(fullKey, fullValue);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = fullKey;
        values[layer] = fullValue;
        return new NDArray[] {fullKey, fullValue};
    }

    void advance(int tokens) {
        length += tokens;
    }

    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                keys[i].close();
                values[i].close();
            }
        }
    }
}
