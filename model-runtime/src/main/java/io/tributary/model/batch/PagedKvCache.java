package io.tributary.model.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.tributary.model.ModelException;
import io.tributary.model.llama.LlamaConfig;
import java.util.Arrays;

/**
 * The engine's key/value cache, paged as vLLM pages it: per layer one pool for keys and one for values, handed out
 * to sequences in blocks of {@link #BLOCK} positions. A sequence's position p lives in slot
 * {@code blocks[p / BLOCK] * BLOCK + p % BLOCK}, and a sequence never copies its cache as it grows. Each pool is
 * head-major, [kvHeads, capacity * BLOCK, headDim], kept as the 2-D [kvHeads * capacity * BLOCK, headDim] that
 * writes index (row {@code head * capacity * BLOCK + slot}); viewed as [kvHeads * capacity, BLOCK * headDim], one
 * row is one head's whole block (row {@code head * capacity + block}), so attention reads a sequence's keys a block
 * (2 KiB at head size 32) per index, not a position (128 bytes) per index: gathering many small rows cost 40% of a
 * decode step of 32 sequences. The pools grow by doubling (one copy, amortized) up to an optional bound; block 0 is
 * never handed out: padded reads point there.
 */
final class PagedKvCache implements AutoCloseable {
    static final int BLOCK = 16;

    private final NDManager manager;
    private final int layers;
    private final int width;
    private final int kvHeads;
    private final int headDim;
    private final int maxBlocks;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int capacity;
    private int[] free = new int[0];
    private int freeCount;
    private int used;

    PagedKvCache(LlamaConfig config, NDManager manager, int initialBlocks, int maxBlocks) {
        this.manager = manager;
        this.layers = config.numHiddenLayers();
        this.width = config.numKeyValueHeads() * config.headDim();
        this.kvHeads = config.numKeyValueHeads();
        this.headDim = config.headDim();
        this.maxBlocks = maxBlocks;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        grow(maxBlocks > 0 ? Math.min(Math.max(2, initialBlocks), maxBlocks) : Math.max(2, initialBlocks));
    }

    /** Bytes one block takes across all layers, keys and values. */
    long blockBytes() {
        return 2L * layers * BLOCK * width * 4; // BatchedForward.cacheBlockBytes(config), without the config
    }

    /** Bytes of the pools (allocated capacity, used or not). */
    synchronized long bytes() {
        return capacity * blockBytes();
    }

    /** Positions that can still be handed out before the bound (Long.MAX_VALUE without one). */
    synchronized long positionsLeft() {
        return maxBlocks == 0 ? Long.MAX_VALUE : (long) (maxBlocks - 1 - used) * BLOCK;
    }

    /** Blocks handed out now. */
    synchronized int usedBlocks() {
        return used;
    }

    /** A free block, growing the pools when none is left; refuses past the bound. */
    synchronized int allocate() {
        if (freeCount == 0) {
            int target = capacity * 2;
            if (maxBlocks > 0) {
                target = Math.min(target, maxBlocks);
            }
            if (target <= capacity) {
                throw new ModelException("the KV cache is full: " + (capacity - 1) + " blocks of " + BLOCK
                        + " positions are in use (bound " + maxBlocks + " blocks)");
            }
            grow(target);
        }
        used++;
        return free[--freeCount];
    }

    synchronized void release(int[] blocks, int count) {
        for (int i = 0; i < count; i++) {
            free[freeCount++] = blocks[i];
        }
        used -= count;
    }

    /** Blocks the pools hold now (handed out or not): row indexes into the pools depend on it. */
    int capacity() {
        return capacity;
    }

    /** Keys of {@code layer}: [kvHeads * capacity * BLOCK, headDim], row {@code head * capacity * BLOCK + slot}. */
    NDArray keys(int layer) {
        return keys[layer];
    }

    /** Values of {@code layer}, laid out as {@link #keys}. */
    NDArray values(int layer) {
        return values[layer];
    }

    private void grow(int blocks) {
        // Pools outlive any step's scope.
        try (NDScope scope = new NDScope()) {
            for (int layer = 0; layer < layers; layer++) {
                keys[layer] = grown(keys[layer], blocks);
                values[layer] = grown(values[layer], blocks);
            }
        }
        int[] next = Arrays.copyOf(free, blocks);
        // Lowest blocks first, so a fresh cache hands out 1, 2, 3, ...
        int start = Math.max(1, capacity);
        for (int block = blocks - 1; block >= start; block--) {
            next[freeCount++] = block;
        }
        free = next;
        capacity = blocks;
    }

    private NDArray grown(NDArray old, int blocks) {
        NDArray pool = manager.zeros(new Shape((long) kvHeads * blocks * BLOCK, headDim));
        if (old != null) {
            // Each head's slots move to the start of its own, longer, range.
            long oldSlots = old.getShape().get(0) / kvHeads;
            pool.reshape(kvHeads, (long) blocks * BLOCK, headDim)
                    .set(new NDIndex(":, 0:" + oldSlots), old.reshape(kvHeads, oldSlots, headDim));
            old.close();
        }
        NDScope.unregister(pool);
        return pool;
    }

    @Override
    public synchronized void close() {
        for (int layer = 0; layer < layers; layer++) {
            keys[layer].close();
            values[layer].close();
        }
    }
}
