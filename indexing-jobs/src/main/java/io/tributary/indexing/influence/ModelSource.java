package io.tributary.indexing.influence;

import java.io.Serializable;

/**
 * Where a task finds the model an adapter was trained on, with the hashes the {@code adapters} table recorded:
 * a task refuses files whose content changed since training. Paths must be readable where tasks run.
 */
public record ModelSource(String basePath, String baseSha256, String adapterPath, String adapterSha256,
                          int sequenceLength) implements Serializable {}
