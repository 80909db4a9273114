package io.tributary.core.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tributary.core.crypto.Address;
import io.tributary.core.hash.Hashing;
import io.tributary.core.hash.Hex;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One billed inference, as the server logs it and the attribution stream reads it: one JSON object per line,
 * fields in the order below. A base-model inference has an empty {@code adapterId}, {@code datanet} and
 * {@code adapterSha256} and no Datanet version. Build one with {@link InferenceRecords#parse} (untrusted
 * bytes) or the constructor, which checks every field the same way.
 *
 * @param inferenceId      unique and deterministic per server (never random): {@code [A-Za-z0-9][A-Za-z0-9._:-]{0,127}}
 * @param servedAt         when the response completed, UTC, millisecond precision: the event time of epochs
 * @param feeWei           integer wei the payer owes, {@code >= 0}
 * @param priceVersion     which price produced the fee (see the serving module)
 */
public record InferenceRecord(
        String inferenceId,
        Instant servedAt,
        String adapterId,
        String datanet,
        OptionalLong datanetVersion,
        String baseModelSha256,
        String adapterSha256,
        Address payer,
        String apiKeyId,
        long promptTokens,
        long completionTokens,
        String completion,
        String finishReason,
        BigInteger feeWei,
        String priceVersion) {

    /** The JSON field names, in the order records are written. */
    public static final String INFERENCE_ID = "inference_id";
    public static final String SERVED_AT = "served_at";
    public static final String ADAPTER_ID = "adapter_id";
    public static final String DATANET = "datanet";
    public static final String DATANET_VERSION = "datanet_version";
    public static final String BASE_MODEL_SHA256 = "base_model_sha256";
    public static final String ADAPTER_SHA256 = "adapter_sha256";
    public static final String PAYER = "payer";
    public static final String API_KEY_ID = "api_key_id";
    public static final String PROMPT_TOKENS = "prompt_tokens";
    public static final String COMPLETION_TOKENS = "completion_tokens";
    public static final String COMPLETION = "completion";
    public static final String FINISH_REASON = "finish_reason";
    public static final String FEE_WEI = "fee_wei";
    public static final String PRICE_VERSION = "price_version";

    static final DateTimeFormatter SERVED_AT_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

    public InferenceRecord {
        Objects.requireNonNull(servedAt, SERVED_AT);
        Objects.requireNonNull(datanetVersion, DATANET_VERSION);
        Objects.requireNonNull(payer, PAYER);
        Objects.requireNonNull(feeWei, FEE_WEI);
        servedAt = servedAt.truncatedTo(ChronoUnit.MILLIS);
        InferenceRecords.check(inferenceId, adapterId, datanet, datanetVersion, baseModelSha256, adapterSha256, apiKeyId,
                promptTokens, completionTokens, completion, finishReason, feeWei, priceVersion);
    }

    /** True for an inference of the bare base model: it pays the protocol only. */
    public boolean isBaseModel() {
        return adapterId.isEmpty();
    }

    /** {@code served_at} as written: ISO-8601 UTC with exactly three fraction digits. */
    public String servedAtText() {
        return SERVED_AT_FORMAT.format(servedAt);
    }

    /** The record as one line of JSON (no newline), fields in the documented order: its canonical form. */
    public String toJsonLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + completion.length());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField(INFERENCE_ID, inferenceId);
            json.writeStringField(SERVED_AT, servedAtText());
            json.writeStringField(ADAPTER_ID, adapterId);
            json.writeStringField(DATANET, datanet);
            if (datanetVersion.isPresent()) {
                json.writeNumberField(DATANET_VERSION, datanetVersion.getAsLong());
            } else {
                json.writeNullField(DATANET_VERSION);
            }
            json.writeStringField(BASE_MODEL_SHA256, baseModelSha256);
            json.writeStringField(ADAPTER_SHA256, adapterSha256);
            json.writeStringField(PAYER, payer.value());
            json.writeStringField(API_KEY_ID, apiKeyId);
            json.writeNumberField(PROMPT_TOKENS, promptTokens);
            json.writeNumberField(COMPLETION_TOKENS, completionTokens);
            json.writeStringField(COMPLETION, completion);
            json.writeStringField(FINISH_REASON, finishReason);
            json.writeStringField(FEE_WEI, feeWei.toString());
            json.writeStringField(PRICE_VERSION, priceVersion);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * keccak256 of the canonical line's UTF-8 bytes, 0x-prefixed: the leaf an epoch's inference Merkle root is
     * built from, so anyone holding the record can recompute it.
     */
    public String hash() {
        return Hex.encodePrefixed(Hashing.keccak256(toJsonLine().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
