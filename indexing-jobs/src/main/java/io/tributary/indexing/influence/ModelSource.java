package io.tributary.indexing.influence;

import io.tributary.model.tokenizer.LossScope;
import java.io.Serializable;

/**
 * Where a task finds the model an adapter was trained on, with the hashes the {@code adapters} table recorded:
 * a task refuses files whose content changed since training. Paths must be readable where tasks run. The sequence
 * length and loss scope are training's ({@code hyper_parameters}), so examples are windowed and scored as trained.
 */
public record ModelSource(String basePath, String baseSha256, String adapterPath, String adapterSha256,
                          int sequenceLength, LossScope lossScope) implements Serializable {
    /** An adapter trained on the whole text. */
    public ModelSource(String basePath, String baseSha256, String adapterPath, String adapterSha256, int sequenceLength) {
        this(basePath, baseSha256, adapterPath, adapterSha256, sequenceLength, LossScope.WHOLE_TEXT);
    }
}
