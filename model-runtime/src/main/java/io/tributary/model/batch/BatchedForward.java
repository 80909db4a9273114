package io.tributary.model.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import io.tributary.model.ModelException;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.WeightNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs prefill and decode steps for many sequences at once over one base model, each sequence with its own LoRA
 * adapter or none. A step flattens every feed's tokens into one ragged batch of rows (no padding): embeddings,
 * norms, the base projections and the MLP run once over all rows; each row's LoRA delta comes from its own
 * adapter through gathered, batched low-rank products ({@link LoraStep}); attention runs per sequence over its
 * own cache: all one-token (decode) feeds together as one padded batch over the paged cache, each longer feed
 * (a prompt or prompt chunk) alone, its queries in chunks so the score matrix stays chunk x keys.
 *
 * <p>Thread confinement: {@link #step}, new {@link Sequence}s and their {@code close} belong to one thread (the
 * scheduler's). Adapters may be loaded and closed from other threads.
 */
public final class BatchedForward implements AutoCloseable {
    /** Tokens to append to a sequence in one step: a prompt or prompt chunk (prefill), or one sampled token (decode). */
    public record Feed(Sequence sequence, int[] tokens) {}

    /**
     * Engine knobs. {@code attentionChunk}: queries per block of a prefill's attention (the score matrix is at most
     * heads x chunk x keys). {@code directRows}: an adapter with at least this many rows in a step gets plain
     * products on its slice instead of the gathered path. {@code initialCacheBlocks}, {@code maxCacheBlocks}: the
     * KV cache's first size and bound in blocks of 16 positions (0 = no bound but memory).
     */
    public record Settings(int attentionChunk, int directRows, int initialCacheBlocks, int maxCacheBlocks) {
        public static final Settings DEFAULT = new Settings(256, 8, 64, 0);

        /**
         * The default settings with the KV cache bounded to about {@code cacheBytes} for {@code config} (at least two
         * blocks; one block is the cache's own padding): a server's memory bound for sequences in flight.
         */
        public static Settings withCacheBytes(LlamaConfig config, long cacheBytes) {
            long blocks = Math.max(2, cacheBytes / cacheBlockBytes(config));
            return new Settings(DEFAULT.attentionChunk(), DEFAULT.directRows(),
                    (int) Math.min(DEFAULT.initialCacheBlocks(), blocks), (int) Math.min(Integer.MAX_VALUE, blocks));
        }

        /** Sequences' positions this bound can hold at once (whole blocks; unbounded: Long.MAX_VALUE). */
        public long cachePositions() {
            return maxCacheBlocks == 0 ? Long.MAX_VALUE : (long) (maxCacheBlocks - 1) * CACHE_BLOCK;
        }

        public Settings {
            if (attentionChunk <= 0 || directRows <= 0 || initialCacheBlocks <= 0 || maxCacheBlocks < 0 || maxCacheBlocks == 1) {
                throw new ModelException("invalid engine settings " + this);
            }
        }
    }

    /** Positions per KV-cache block: a sequence holds {@code ceil(length / CACHE_BLOCK)} blocks. */
    public static final int CACHE_BLOCK = PagedKvCache.BLOCK;

    private final LlamaModel model;
    private final LlamaConfig config;
    private final NDManager manager;
    private final Settings settings;
    private final PagedKvCache cache;
    private final AdapterPool pool;
    /** Masked LoRA way up to this mask size ({@link LoraStep#MASKED_LIMIT}); tests lower it to run the per-row way. */
    private int maskedLimit = LoraStep.MASKED_LIMIT;
    /** Output width of each projection module. */
    private final java.util.Map<String, Long> outputs = new java.util.HashMap<>();

    public BatchedForward(LlamaModel base) {
        this(base, Settings.DEFAULT);
    }

    public BatchedForward(LlamaModel base, Settings settings) {
        this.model = base;
        this.config = base.config();
        this.settings = settings;
        this.manager = base.manager().newSubManager();
        this.cache = new PagedKvCache(config, manager, settings.initialCacheBlocks(), settings.maxCacheBlocks());
        this.pool = new AdapterPool(manager);
        for (String module : WeightNames.ATTENTION_MODULES) {
            outputs.put(module, WeightNames.projectionShape(config, module)[0]);
        }
        for (String module : WeightNames.MLP_MODULES) {
            outputs.put(module, WeightNames.projectionShape(config, module)[0]);
        }
    }

    public LlamaModel model() {
        return model;
    }

    /** Bytes one KV-cache block of {@code config} takes (every layer, keys and values, float32). */
    public static long cacheBlockBytes(LlamaConfig config) {
        return 2L * config.numHiddenLayers() * CACHE_BLOCK * (long) config.numKeyValueHeads() * config.headDim() * 4;
    }

    public Settings settings() {
        return settings;
    }

    /** Bytes of the KV cache pools (allocated, used or not). */
    public long cacheBytes() {
        return cache.bytes();
    }

    /** Bytes of KV cache held by open sequences. */
    public long cacheBytesInUse() {
        return cache.usedBlocks() * cache.blockBytes();
    }

    /**
     * New positions the cache can still take before its bound (Long.MAX_VALUE when unbounded), counting whole blocks:
     * a sequence needs {@code ceil((length + tokens) / 16)} blocks, so admit a request when its blocks fit.
     */
    public long cachePositionsLeft() {
        return cache.positionsLeft();
    }

    /**
     * Bytes of the adapter pool: the slabs that hold a copy of the factors of every adapter that has taken the
     * gathered path and is not closed yet (at most the device tier's adapter bytes, plus free rows).
     */
    public long adapterTableBytes() {
        return pool.bytes();
    }

    void maskedLimit(int limit) {
        this.maskedLimit = limit;
    }

    PagedKvCache cache() {
        return cache;
    }

    /**
     * One step: each feed appends its tokens to its sequence; returns each feed's next-token logits [vocab] (after
     * its last token), in the order of {@code feeds}. A failed step (bad input, full cache) changes no sequence.
     */
    public float[][] step(List<Feed> feeds) {
        if (feeds.isEmpty()) {
            return new float[0][];
        }
        validate(feeds);
        StepPlan plan = new StepPlan(feeds, settings.directRows());
        List<Sequence> reserved = new ArrayList<>();
        List<Integer> taken = new ArrayList<>();
        float[] flat;
        try {
            for (StepPlan.Placed feed : plan.placed) {
                taken.add(feed.sequence().reserve(feed.tokens()));
                reserved.add(feed.sequence());
            }
            flat = compute(plan);
        } catch (RuntimeException e) {
            for (int i = 0; i < reserved.size(); i++) {
                reserved.get(i).unreserve(taken.get(i));
            }
            throw e;
        }
        for (StepPlan.Placed feed : plan.placed) {
            feed.sequence().advance(feed.tokens());
        }
        int vocab = config.vocabSize();
        float[][] logits = new float[feeds.size()][];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = java.util.Arrays.copyOfRange(flat, i * vocab, (i + 1) * vocab);
        }
        return logits;
    }

    private void validate(List<Feed> feeds) {
        StepPlan.requireDistinct(feeds);
        for (Feed feed : feeds) {
            Sequence sequence = feed.sequence();
            if (sequence.engine() != this) {
                throw new ModelException("a sequence of another engine was fed to this one");
            }
            if (sequence.isClosed()) {
                throw new ModelException("a closed sequence was fed to a step");
            }
            if (feed.tokens().length == 0) {
                throw new ModelException("a feed has no tokens");
            }
            if (sequence.length() + feed.tokens().length > config.maxPositionEmbeddings()) {
                throw new ModelException("sequence of " + (sequence.length() + feed.tokens().length)
                        + " tokens exceeds max_position_embeddings " + config.maxPositionEmbeddings());
            }
            for (int token : feed.tokens()) {
                if (token < 0 || token >= config.vocabSize()) {
                    throw new ModelException("token " + token + " is outside the vocabulary 0.." + (config.vocabSize() - 1));
                }
            }
        }
    }

    private float[] compute(StepPlan plan) {
        try (NDScope scope = new NDScope()) {
            Step step = new Step(plan);
            NDArray hidden = model.embed(manager.create(plan.ids));
            for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
                NDArray next = layer(step, hidden, layer);
                hidden.close();
                hidden = next;
            }
            NDArray last = hidden.get(new NDIndex("{}", manager.create(plan.lastRows)));
            return model.logits(last).toFloatArray();
        }
    }

    /** One decoder layer; its temporaries are freed when it ends, so a step holds one layer's worth, not all. */
    private NDArray layer(Step step, NDArray hidden, int layer) {
        NDArray out;
        try (NDScope scope = new NDScope()) {
            NDArray normed = model.rmsNorm(hidden, WeightNames.inputNorm(layer));
            NDArray mid = hidden.add(step.attention(normed, layer));
            out = mid.add(model.mlp(model.rmsNorm(mid, WeightNames.postAttentionNorm(layer)), layer, step::project));
            NDScope.unregister(out);
        }
        NDScope.register(out);
        return out;
    }

    /** The device arrays of one step, built once and used by every layer. */
    private final class Step {
        private final StepPlan plan;
        private final LoraStep lora;
        private final NDArray cos;
        private final NDArray sin;
        private final NDArray writeRows;
        private final NDArray decodeBlockRows;
        private final NDArray decodeMask;
        private final int decodeKeys;
        private final List<NDArray> prefillBlockRows = new ArrayList<>();
        private final List<List<NDArray>> prefillMasks = new ArrayList<>();
        private final NDArray scale;

        Step(StepPlan plan) {
            this.plan = plan;
            this.lora = new LoraStep(plan, manager, pool, maskedLimit);
            NDArray positions = manager.create(plan.positions);
            int headDim = config.headDim();
            cos = gatherRows(positions, model.rotaryCos()).reshape(plan.rows, 1, headDim);
            sin = gatherRows(positions, model.rotarySin()).reshape(plan.rows, 1, headDim);
            int kvHeads = config.numKeyValueHeads();
            int capacity = cache.capacity();
            writeRows = manager.create(plan.writeRows(kvHeads, capacity));
            int decodes = plan.decodes.size();
            int decodeBlocks = plan.decodeBlocks();
            decodeKeys = decodeBlocks * CACHE_BLOCK;
            if (decodes > 0) {
                decodeBlockRows = manager.create(plan.decodeBlockRows(decodeBlocks, kvHeads, capacity),
                        new Shape(decodes, kvHeads, decodeBlocks));
                float[] mask = plan.decodeMask(decodeKeys);
                decodeMask = mask == null ? null : manager.create(mask, new Shape(decodes, 1, 1, decodeKeys));
            } else {
                decodeBlockRows = null;
                decodeMask = null;
            }
            for (StepPlan.Placed feed : plan.prefills) {
                prefillBlockRows.add(manager.create(StepPlan.keyBlockRows(feed, kvHeads, capacity)));
                prefillMasks.add(chunkMasks(feed));
            }
            scale = model.constant(1.0 / Math.sqrt(headDim));
        }

        NDArray project(NDArray x, int layer, String module) {
            String path = WeightNames.projection(layer, module);
            NDArray out = model.baseLinear(x, path + ".weight");
            if (!lora.active()) {
                return out;
            }
            NDArray delta = lora.delta(x, path, outputs.get(module));
            return delta == null ? out : out.add(delta);
        }

        NDArray attention(NDArray x, int layer) {
            int heads = config.numAttentionHeads();
            int kvHeads = config.numKeyValueHeads();
            int headDim = config.headDim();
            int rows = plan.rows;
            NDArray q = LlamaModel.rotate(project(x, layer, "q_proj").reshape(rows, heads, headDim), cos, sin);
            NDArray k = LlamaModel.rotate(project(x, layer, "k_proj").reshape(rows, kvHeads, headDim), cos, sin);
            NDArray v = project(x, layer, "v_proj");
            NDIndex slots = new NDIndex("{}", writeRows);
            cache.keys(layer).set(slots, k.reshape((long) rows * kvHeads, headDim));
            cache.values(layer).set(slots, v.reshape((long) rows * kvHeads, headDim));
            List<NDArray> parts = new ArrayList<>();
            if (!plan.decodes.isEmpty()) {
                parts.add(decodeAttention(q, layer));
            }
            for (int i = 0; i < plan.prefills.size(); i++) {
                parts.add(prefillAttention(q, layer, plan.prefills.get(i), prefillBlockRows.get(i), prefillMasks.get(i)));
            }
            // Decode rows lead and prefill feeds follow in row order (StepPlan), so the parts concatenate in row order.
            NDArray context = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts.toArray(NDArray[]::new)), 0);
            return project(context, layer, "o_proj");
        }

        /**
         * All one-token feeds at once: queries [B, kvHeads, group, d] against their keys, gathered a whole block per
         * index as [B, kvHeads, blocks, BLOCK * d] = [B, kvHeads, L, d] with L the longest feed's blocks (contiguous, so
         * the batched products read them in place: a transposed view of the last two dimensions is one BLAS flag), the
         * positions past each feed's length masked.
         */
        private NDArray decodeAttention(NDArray q, int layer) {
            int batch = plan.decodes.size();
            int kvHeads = config.numKeyValueHeads();
            int headDim = config.headDim();
            NDArray queries = (batch == plan.rows ? q : q.get(new NDIndex().addSliceDim(0, batch))).reshape(batch, kvHeads, config.groupSize(), headDim);
            long blockWidth = (long) CACHE_BLOCK * headDim;
            NDArray keys = gatherRows(decodeBlockRows, cache.keys(layer).reshape(-1, blockWidth)).reshape(batch, kvHeads, decodeKeys, headDim);
            NDArray values = gatherRows(decodeBlockRows, cache.values(layer).reshape(-1, blockWidth)).reshape(batch, kvHeads, decodeKeys, headDim);
            NDArray scores = queries.matMul(keys.transpose(0, 1, 3, 2)).mul(scale);
            if (decodeMask != null) {
                scores = scores.add(decodeMask);
            }
            NDArray context = scores.softmax(-1).matMul(values);
            return context.reshape(batch, (long) config.numAttentionHeads() * headDim);
        }

        /** One multi-token feed: causal attention over its cache, queries in chunks of {@code attentionChunk}. */
        private NDArray prefillAttention(NDArray q, int layer, StepPlan.Placed feed, NDArray blockRows, List<NDArray> masks) {
            int kvHeads = config.numKeyValueHeads();
            int group = config.groupSize();
            int headDim = config.headDim();
            int tokens = feed.tokens();
            int keysTotal = feed.start() + tokens;
            NDArray queries = q.get(new NDIndex().addSliceDim(feed.row(), feed.row() + tokens))
                    .reshape(tokens, kvHeads, group, headDim).transpose(1, 0, 2, 3);
            long blockWidth = (long) CACHE_BLOCK * headDim;
            long blocks = blockRows.getShape().get(0) / kvHeads;
            NDArray keys = gatherRows(blockRows, cache.keys(layer).reshape(-1, blockWidth))
                    .reshape(kvHeads, blocks * CACHE_BLOCK, headDim).get(":, 0:" + keysTotal).transpose(0, 2, 1);
            NDArray values = gatherRows(blockRows, cache.values(layer).reshape(-1, blockWidth))
                    .reshape(kvHeads, blocks * CACHE_BLOCK, headDim).get(":, 0:" + keysTotal);
            List<NDArray> chunks = new ArrayList<>();
            int chunk = settings.attentionChunk();
            for (int from = 0, index = 0; from < tokens; from += chunk, index++) {
                int to = Math.min(tokens, from + chunk);
                int count = to - from;
                int visible = feed.start() + to;
                NDArray block = count == tokens ? queries : queries.get(":, " + from + ":" + to);
                NDArray keyBlock = visible == keysTotal ? keys : keys.get(":, :, 0:" + visible);
                NDArray valueBlock = visible == keysTotal ? values : values.get(":, 0:" + visible);
                NDArray scores = block.reshape(kvHeads, (long) count * group, headDim).matMul(keyBlock).mul(scale)
                        .reshape(kvHeads, count, group, visible).add(masks.get(index));
                NDArray context = scores.softmax(-1).reshape(kvHeads, (long) count * group, visible).matMul(valueBlock);
                chunks.add(context.reshape(kvHeads, count, group, headDim).transpose(1, 0, 2, 3)
                        .reshape(count, (long) config.numAttentionHeads() * headDim));
            }
            return chunks.size() == 1 ? chunks.get(0) : NDArrays.concat(new NDList(chunks.toArray(NDArray[]::new)), 0);
        }

        /** Causal masks [count, 1, visible] of each query chunk of a prefill feed. */
        private List<NDArray> chunkMasks(StepPlan.Placed feed) {
            List<NDArray> masks = new ArrayList<>();
            int chunk = settings.attentionChunk();
            for (int from = 0; from < feed.tokens(); from += chunk) {
                int to = Math.min(feed.tokens(), from + chunk);
                int visible = feed.start() + to;
                float[] mask = new float[(to - from) * visible];
                for (int i = 0; i < to - from; i++) {
                    int position = feed.start() + from + i;
                    for (int j = position + 1; j < visible; j++) {
                        mask[i * visible + j] = Float.NEGATIVE_INFINITY;
                    }
                }
                masks.add(manager.create(mask, new Shape(to - from, 1, visible)));
            }
            return masks;
        }
    }

    /** Rows of a 2-D table for int64 indices of any shape: [..., width]. */
    private static NDArray gatherRows(NDArray indices, NDArray table) {
        return indices.getNDArrayInternal().embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Frees the KV cache and the adapter pool; sequences of this engine must be closed first. */
    @Override
    public void close() {
        pool.close();
        cache.close();
        manager.close();
    }
}
