package io.tributary.serving;

import io.tributary.core.crypto.Address;
import io.tributary.core.inference.InferenceRecord;
import io.tributary.serving.adapters.ServedAdapter;
import io.tributary.serving.engine.GenerationEvent;
import io.tributary.serving.price.QuotedPrice;
import java.math.BigInteger;
import java.time.Instant;
import java.util.OptionalLong;

/** Turns a finished generation into its inference record: who pays, for which adapter, how much, under which price. */
public final class Billing {
    private final String baseModelSha256;

    public Billing(String baseModelSha256) {
        this.baseModelSha256 = baseModelSha256;
    }

    /** True when the generation is billed: always, except a client that went away before any token was generated. */
    public static boolean billable(GenerationEvent.Finished finished) {
        return !("cancelled".equals(finished.finishReason()) && finished.completionTokens() == 0);
    }

    public InferenceRecord record(String inferenceId, Instant servedAt, ServedAdapter adapter, Address payer, String apiKeyId,
                                  GenerationEvent.Finished finished, QuotedPrice price) {
        BigInteger fee = price.price().fee(finished.promptTokens(), finished.completionTokens());
        return new InferenceRecord(inferenceId, servedAt,
                adapter == null ? "" : adapter.adapterId(),
                adapter == null ? "" : adapter.datanet(),
                adapter == null ? OptionalLong.empty() : OptionalLong.of(adapter.datanetVersion()),
                baseModelSha256,
                adapter == null ? "" : adapter.adapterSha256(),
                payer, apiKeyId, finished.promptTokens(), finished.completionTokens(), finished.text(),
                finished.finishReason(), fee, price.version());
    }
}
