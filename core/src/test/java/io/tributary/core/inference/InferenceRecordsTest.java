package io.tributary.core.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.crypto.Address;
import io.tributary.core.inference.InferenceRejection.Reason;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class InferenceRecordsTest {
    static final String SHA = "ab".repeat(32);

    static InferenceRecord adapterRecord() {
        return new InferenceRecord("srv1-000000000042", Instant.parse("2026-12-01T10:15:30.123456Z"), "cd".repeat(32), "legal",
                OptionalLong.of(3), SHA, "ef".repeat(32), Address.of("0x" + "12".repeat(20)), "0123456789abcdef", 12, 5,
                "Permission is \"hereby\" granted\n\u00e9\ud83d\ude00", "stop", new BigInteger("123456789012345678901234567890"), "default");
    }

    @Test
    void aRecordSurvivesItsOwnLineExactlyAndHashesItsCanonicalForm() {
        InferenceRecord record = adapterRecord();
        String line = record.toJsonLine();
        assertThat(line).startsWith("{\"inference_id\":\"srv1-000000000042\",\"served_at\":\"2026-12-01T10:15:30.123Z\"")
                .doesNotContain("\n").contains("\"fee_wei\":\"123456789012345678901234567890\"");
        InferenceRecords.Parsed parsed = InferenceRecords.parse(line.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed).isInstanceOf(InferenceRecords.Accepted.class);
        InferenceRecord back = ((InferenceRecords.Accepted) parsed).record();
        assertThat(back).isEqualTo(record);
        assertThat(back.toJsonLine()).isEqualTo(line);
        assertThat(back.hash()).isEqualTo(record.hash()).matches("0x[0-9a-f]{64}");
    }

    @Test
    void aBaseModelRecordHasNoDatanetVersion() {
        InferenceRecord base = new InferenceRecord("srv1-1", Instant.parse("2026-12-01T10:00:00Z"), "", "", OptionalLong.empty(), SHA,
                "", Address.of("0x" + "12".repeat(20)), "0123456789abcdef", 1, 1, "x", "length", BigInteger.TEN, "default");
        assertThat(base.isBaseModel()).isTrue();
        assertThat(base.toJsonLine()).contains("\"datanet_version\":null");
        assertThat(InferenceRecords.parse(base.toJsonLine())).isEqualTo(new InferenceRecords.Accepted(base));
    }

    @Test
    void everyBadLineIsRejectedWithAReasonAndNeverThrows() {
        String good = adapterRecord().toJsonLine();
        assertThat(reason(new byte[] {'{', (byte) 0xC3, '}'})).isEqualTo(Reason.NOT_UTF8);
        assertThat(reason("not json".getBytes(StandardCharsets.UTF_8))).isEqualTo(Reason.UNPARSABLE_JSON);
        assertThat(reason("[1,2]".getBytes(StandardCharsets.UTF_8))).isEqualTo(Reason.UNPARSABLE_JSON);
        assertThat(reason((good + " {}").getBytes(StandardCharsets.UTF_8))).isEqualTo(Reason.UNPARSABLE_JSON);
        assertThat(reason(good.replace("{\"inference_id\"", "{\"payer\":\"0x" + "12".repeat(20) + "\",\"inference_id\"")))
                .as("duplicate key").isEqualTo(Reason.UNPARSABLE_JSON);
        assertThat(reason(good.replace("\"completion\":", "\"extra\":1,\"completion\":"))).isEqualTo(Reason.BAD_FIELD);
        assertThat(reason(good.replace("\"prompt_tokens\":12,", ""))).isEqualTo(Reason.MISSING_FIELD);
        assertThat(reason(good.replace("\"prompt_tokens\":12", "\"prompt_tokens\":-1"))).isEqualTo(Reason.BAD_FIELD);
        assertThat(reason(good.replace("\"prompt_tokens\":12", "\"prompt_tokens\":1.5"))).isEqualTo(Reason.BAD_FIELD);
        assertThat(reason(good.replace("\"prompt_tokens\":12", "\"prompt_tokens\":\"12\""))).isEqualTo(Reason.BAD_FIELD);
        assertThat(reason(good.replace("123456789012345678901234567890", "-5"))).isEqualTo(Reason.BAD_FEE);
        assertThat(reason(good.replace("123456789012345678901234567890", "1e18"))).isEqualTo(Reason.BAD_FEE);
        assertThat(reason(good.replace("123456789012345678901234567890", "007"))).isEqualTo(Reason.BAD_FEE);
        assertThat(reason(good.replace("0x" + "12".repeat(20), "0x1234"))).isEqualTo(Reason.BAD_ADDRESS);
        assertThat(reason(good.replace("2026-12-01T10:15:30.123Z", "2026-12-01T10:15:30Z"))).isEqualTo(Reason.BAD_FIELD);
        assertThat(reason(good.replace("2026-12-01T10:15:30.123Z", "2026-13-01T10:15:30.123Z"))).isEqualTo(Reason.BAD_FIELD);
        assertThat(reason(good.replace("\"stop\"", "\"eos\""))).isEqualTo(Reason.BAD_FIELD);
        assertThat(reason(good.replace("\"datanet_version\":3", "\"datanet_version\":null"))).isEqualTo(Reason.BAD_FIELD);
        assertThat(reason(good.replace("\"api_key_id\":\"0123456789abcdef\"", "\"api_key_id\":\"sk-live-secret\"")))
                .isEqualTo(Reason.BAD_FIELD);
    }

    @Test
    void theConstructorRefusesWhatTheReaderRefuses() {
        assertThatThrownBy(() -> new InferenceRecord("bad id!", Instant.EPOCH, "", "", OptionalLong.empty(), SHA, "",
                Address.of("0x" + "12".repeat(20)), "0123456789abcdef", 1, 1, "x", "stop", BigInteger.ONE, "default"))
                .isInstanceOf(InvalidInferenceException.class).hasMessageContaining("inference_id");
        assertThatThrownBy(() -> new InferenceRecord("id", Instant.EPOCH, "", "", OptionalLong.empty(), SHA, "",
                Address.of("0x" + "12".repeat(20)), "0123456789abcdef", 1, 1, "x", "stop", BigInteger.valueOf(-1), "default"))
                .isInstanceOf(InvalidInferenceException.class).hasMessageContaining("bad_fee");
    }

    @Test
    void logFileNamesSortInWriteOrderAndHideFilesInProgress() {
        assertThat(InferenceLogFiles.completeName("srv-1", 7)).isEqualTo("inferences-srv-1-00000000000000000007.jsonl");
        assertThat(InferenceLogFiles.inProgressName("srv-1", 7)).startsWith(".").endsWith(".inprogress");
        assertThat(InferenceLogFiles.COMPLETE.matcher(InferenceLogFiles.inProgressName("srv-1", 7)).matches()).isFalse();
        assertThatThrownBy(() -> InferenceLogFiles.completeName("../etc", 1)).hasMessageContaining("server id");
    }

    private static Reason reason(String line) {
        return reason(line.getBytes(StandardCharsets.UTF_8));
    }

    private static Reason reason(byte[] line) {
        InferenceRecords.Parsed parsed = InferenceRecords.parse(line);
        assertThat(parsed).as(new String(line, StandardCharsets.UTF_8)).isInstanceOf(InferenceRecords.Rejected.class);
        return ((InferenceRecords.Rejected) parsed).rejection().reason();
    }
}
