package io.tributary.indexing.influence;

import ai.djl.ndarray.NDManager;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.tokenizer.TextTokenizer;
import java.util.List;

/** A base model with one adapter state applied, its tokenizer and the projections of its module blocks. */
public record LoadedModel(NDManager manager, LlamaModel model, LoraAdapter adapter, TextTokenizer tokenizer,
                          List<GradientProjection> projections) implements AutoCloseable {
    @Override
    public void close() {
        adapter.close();
        model.close();
        tokenizer.close();
        manager.close();
    }
}
