package io.tributary.core.inference;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tributary.core.crypto.Address;
import io.tributary.core.id.DatanetId;
import io.tributary.core.inference.InferenceRejection.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates inference-log lines: the one validator the server (before it writes) and the stream
 * (before it pays) share. A line is accepted only when every field is present, typed and consistent; anything
 * else is a {@link InferenceRejection} with a reason code and a detail, never an exception.
 */
public final class InferenceRecords {
    /** Finish reasons: OpenAI's {@code stop} and {@code length}, and {@code cancelled} for a client gone mid-stream. */
    public static final Set<String> FINISH_REASONS = Set.of("stop", "length", "cancelled");
    /** Field names in the order lines are written. */
    public static final List<String> FIELDS = List.of(InferenceRecord.INFERENCE_ID, InferenceRecord.SERVED_AT,
            InferenceRecord.ADAPTER_ID, InferenceRecord.DATANET, InferenceRecord.DATANET_VERSION,
            InferenceRecord.BASE_MODEL_SHA256, InferenceRecord.ADAPTER_SHA256, InferenceRecord.PAYER,
            InferenceRecord.API_KEY_ID, InferenceRecord.PROMPT_TOKENS, InferenceRecord.COMPLETION_TOKENS,
            InferenceRecord.COMPLETION, InferenceRecord.FINISH_REASON, InferenceRecord.FEE_WEI,
            InferenceRecord.PRICE_VERSION);

    static final Pattern INFERENCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    static final Pattern PRICE_VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static final Pattern API_KEY_ID = Pattern.compile("[0-9a-f]{8,64}");
    static final Pattern SERVED_AT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    static final Pattern WEI = Pattern.compile("0|[1-9][0-9]{0,77}");

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private InferenceRecords() {}

    /** The outcome of reading one line: the record, or why it was refused. */
    public sealed interface Parsed permits Accepted, Rejected {}

    public record Accepted(InferenceRecord record) implements Parsed {}

    public record Rejected(InferenceRejection rejection) implements Parsed {}

    /** Reads one line of the log (without its newline). Never throws on bad input. */
    public static Parsed parse(byte[] line) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            return rejected(Reason.NOT_UTF8, "the line is not valid UTF-8");
        }
        JsonNode root;
        try (JsonParser parser = STRICT.createParser(text)) {
            root = STRICT.readTree(parser);
        } catch (IOException e) {
            return rejected(Reason.UNPARSABLE_JSON, firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return rejected(Reason.UNPARSABLE_JSON, "the line is not a JSON object");
        }
        try {
            return new Accepted(fromJson(root));
        } catch (InvalidInferenceException e) {
            return new Rejected(e.rejection());
        }
    }

    /** Reads one line given as text. */
    public static Parsed parse(String line) {
        return parse(line.getBytes(StandardCharsets.UTF_8));
    }

    private static InferenceRecord fromJson(JsonNode root) {
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid(Reason.BAD_FIELD, "unknown field '" + name + "'");
            }
        }
        String payer = string(root, InferenceRecord.PAYER);
        if (!Address.isValid(payer)) {
            throw invalid(Reason.BAD_ADDRESS, "payer '" + abbreviate(payer) + "' is not a 0x address");
        }
        String fee = string(root, InferenceRecord.FEE_WEI);
        if (!WEI.matcher(fee).matches()) {
            throw invalid(Reason.BAD_FEE, "fee_wei '" + abbreviate(fee) + "' is not a non-negative integer in decimal");
        }
        return new InferenceRecord(
                string(root, InferenceRecord.INFERENCE_ID),
                servedAt(string(root, InferenceRecord.SERVED_AT)),
                string(root, InferenceRecord.ADAPTER_ID),
                string(root, InferenceRecord.DATANET),
                optionalCount(root, InferenceRecord.DATANET_VERSION),
                string(root, InferenceRecord.BASE_MODEL_SHA256),
                string(root, InferenceRecord.ADAPTER_SHA256),
                Address.of(payer),
                string(root, InferenceRecord.API_KEY_ID),
                count(root, InferenceRecord.PROMPT_TOKENS),
                count(root, InferenceRecord.COMPLETION_TOKENS),
                string(root, InferenceRecord.COMPLETION),
                string(root, InferenceRecord.FINISH_REASON),
                new BigInteger(fee),
                string(root, InferenceRecord.PRICE_VERSION));
    }

    /** Checks a record's fields against the format; the constructor calls it, so every record is valid. */
    static void check(String inferenceId, String adapterId, String datanet, OptionalLong datanetVersion, String baseModelSha256,
                      String adapterSha256, String apiKeyId, long promptTokens, long completionTokens, String completion,
                      String finishReason, BigInteger feeWei, String priceVersion) {
        require(inferenceId != null && INFERENCE_ID.matcher(inferenceId).matches(),
                "inference_id '" + abbreviate(inferenceId) + "' does not match " + INFERENCE_ID.pattern());
        require(adapterId != null && (adapterId.isEmpty() || SHA256.matcher(adapterId).matches()),
                "adapter_id must be empty (base model) or 64 lowercase hex digits");
        require(datanet != null && (datanet.isEmpty() || DatanetId.isValid(datanet)),
                "datanet '" + abbreviate(datanet) + "' is not a Datanet id");
        require(baseModelSha256 != null && SHA256.matcher(baseModelSha256).matches(),
                "base_model_sha256 must be 64 lowercase hex digits");
        require(adapterSha256 != null && (adapterSha256.isEmpty() || SHA256.matcher(adapterSha256).matches()),
                "adapter_sha256 must be empty (base model) or 64 lowercase hex digits");
        require(apiKeyId != null && API_KEY_ID.matcher(apiKeyId).matches(),
                "api_key_id must be 8 to 64 lowercase hex digits (a hash of the key, never the key)");
        require(promptTokens >= 0 && completionTokens >= 0, "token counts must be >= 0");
        require(completion != null, "completion is missing");
        require(finishReason != null && FINISH_REASONS.contains(finishReason),
                "finish_reason '" + abbreviate(finishReason) + "' is not one of " + FINISH_REASONS);
        require(priceVersion != null && PRICE_VERSION.matcher(priceVersion).matches(),
                "price_version '" + abbreviate(priceVersion) + "' does not match " + PRICE_VERSION.pattern());
        if (feeWei.signum() < 0) {
            throw invalid(Reason.BAD_FEE, "fee_wei " + feeWei + " is negative");
        }
        if (adapterId.isEmpty()) {
            require(datanet.isEmpty() && datanetVersion.isEmpty() && adapterSha256.isEmpty(),
                    "a base-model record (empty adapter_id) has an empty datanet and adapter_sha256 and a null datanet_version");
        } else {
            require(!datanet.isEmpty() && datanetVersion.isPresent() && !adapterSha256.isEmpty(),
                    "an adapter record names its datanet, datanet_version and adapter_sha256");
            require(datanetVersion.getAsLong() >= 0, "datanet_version must be >= 0");
        }
    }

    private static void require(boolean condition, String detail) {
        if (!condition) {
            throw invalid(Reason.BAD_FIELD, detail);
        }
    }

    private static JsonNode field(JsonNode root, String name) {
        JsonNode value = root.get(name);
        if (value == null || value.isNull()) {
            throw invalid(Reason.MISSING_FIELD, "field '" + name + "' is missing");
        }
        return value;
    }

    private static String string(JsonNode root, String name) {
        JsonNode value = field(root, name);
        if (!value.isTextual()) {
            throw invalid(Reason.BAD_FIELD, "field '" + name + "' must be a string, not " + value.getNodeType().name().toLowerCase());
        }
        return value.textValue();
    }

    private static long count(JsonNode root, String name) {
        return integral(field(root, name), name);
    }

    private static OptionalLong optionalCount(JsonNode root, String name) {
        if (!root.has(name)) {
            throw invalid(Reason.MISSING_FIELD, "field '" + name + "' is missing (null for a base-model record)");
        }
        JsonNode value = root.get(name);
        return value.isNull() ? OptionalLong.empty() : OptionalLong.of(integral(value, name));
    }

    private static long integral(JsonNode value, String name) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw invalid(Reason.BAD_FIELD, "field '" + name + "' must be an integer, not " + abbreviate(value.toString()));
        }
        long number = value.longValue();
        if (number < 0) {
            throw invalid(Reason.BAD_FIELD, "field '" + name + "' must be >= 0, not " + number);
        }
        return number;
    }

    private static Instant servedAt(String text) {
        if (!SERVED_AT.matcher(text).matches()) {
            throw invalid(Reason.BAD_FIELD, "served_at '" + abbreviate(text) + "' is not UTC ISO-8601 with milliseconds (2026-12-01T10:00:00.000Z)");
        }
        try {
            return Instant.from(InferenceRecord.SERVED_AT_FORMAT.parse(text));
        } catch (DateTimeParseException e) {
            throw invalid(Reason.BAD_FIELD, "served_at '" + text + "' is not a valid time");
        }
    }

    private static InvalidInferenceException invalid(Reason reason, String detail) {
        return new InvalidInferenceException(new InferenceRejection(reason, detail));
    }

    private static Rejected rejected(Reason reason, String detail) {
        return new Rejected(new InferenceRejection(reason, detail));
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "not JSON";
        }
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }
}
