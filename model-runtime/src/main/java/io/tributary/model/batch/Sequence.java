package io.tributary.model.batch;

import io.tributary.model.ModelException;
import java.util.Arrays;

/**
 * One sequence (one request) across steps of a {@link BatchedForward}: its place in the engine's paged KV cache and
 * its adapter (null = the bare base model). Not thread-safe: like {@link BatchedForward#step}, use it from the
 * engine's step thread; close it there too, between steps.
 */
public final class Sequence implements AutoCloseable {
    private final BatchedForward engine;
    private final DeviceAdapter adapter;
    private int[] blocks = new int[4];
    private int blockCount;
    private int length;
    private boolean closed;

    /** A new, empty sequence on {@code engine}, with {@code adapterOrNull} applied to all its tokens. */
    public Sequence(BatchedForward engine, DeviceAdapter adapterOrNull) {
        this.engine = engine;
        this.adapter = adapterOrNull;
        if (adapterOrNull != null) {
            adapterOrNull.requireFits(engine.model().config());
            adapterOrNull.retain();
        }
    }

    /** Tokens cached so far (the next token's position). */
    public int length() {
        return length;
    }

    /** Its adapter, or null for the base model. */
    public DeviceAdapter adapter() {
        return adapter;
    }

    public BatchedForward engine() {
        return engine;
    }

    /** Bytes of KV cache it holds (whole blocks of {@value PagedKvCache#BLOCK} positions, every layer). */
    public long bytes() {
        return blockCount * engine.cache().blockBytes();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Makes room for {@code tokens} more positions; returns how many blocks it took (to give back on failure). */
    int reserve(int tokens) {
        if (closed) {
            throw new ModelException("sequence is closed");
        }
        int needed = (length + tokens + PagedKvCache.BLOCK - 1) / PagedKvCache.BLOCK;
        int taken = 0;
        try {
            while (blockCount < needed) {
                if (blockCount == blocks.length) {
                    blocks = Arrays.copyOf(blocks, blocks.length * 2);
                }
                blocks[blockCount] = engine.cache().allocate();
                blockCount++;
                taken++;
            }
        } catch (RuntimeException e) {
            unreserve(taken);
            throw e;
        }
        return taken;
    }

    void unreserve(int taken) {
        engine.cache().release(Arrays.copyOfRange(blocks, blockCount - taken, blockCount), taken);
        blockCount -= taken;
    }

    /** The cache slot of position {@code position}. */
    long slot(int position) {
        return (long) blocks[position / PagedKvCache.BLOCK] * PagedKvCache.BLOCK + position % PagedKvCache.BLOCK;
    }

    /** The cache block that holds positions [index * BLOCK, (index + 1) * BLOCK). */
    int block(int index) {
        return blocks[index];
    }

    void advance(int tokens) {
        length += tokens;
    }

    /** Frees its cache blocks and lets go of its adapter. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        engine.cache().release(blocks, blockCount);
        blockCount = 0;
        if (adapter != null) {
            adapter.release();
        }
    }
}
