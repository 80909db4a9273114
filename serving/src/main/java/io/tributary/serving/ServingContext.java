package io.tributary.serving;

import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.tokenizer.TextTokenizer;
import io.tributary.serving.adapters.AdapterCache;
import io.tributary.serving.adapters.AdapterCatalog;
import io.tributary.serving.engine.BatchScheduler;
import io.tributary.serving.keys.ApiKeyStore;
import io.tributary.serving.log.InferenceIds;
import io.tributary.serving.log.InferenceLog;
import io.tributary.serving.metrics.ServingMetrics;
import io.tributary.serving.price.PriceBook;

/** What the HTTP endpoints work with: the running server's parts. */
public record ServingContext(
        ServingSettings settings,
        LlamaConfig config,
        TextTokenizer tokenizer,
        String baseModelName,
        String baseModelSha256,
        AdapterCatalog catalog,
        AdapterCache cache,
        PriceBook prices,
        ApiKeyStore keys,
        InferenceLog log,
        ServingMetrics metrics,
        BatchScheduler scheduler,
        InferenceIds ids,
        Billing billing) {}
