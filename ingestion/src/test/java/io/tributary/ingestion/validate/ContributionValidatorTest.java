package io.tributary.ingestion.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.crypto.ContributionSignature;
import io.tributary.core.crypto.KeyPair;
import io.tributary.core.hash.Hashing;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContributionValidatorTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DatanetId LEGAL = DatanetId.of("legal");
    private static final KeyPair ALICE = KeyPair.fromSeed("alice");
    private static final KeyPair BOB = KeyPair.fromSeed("bob");
    private final ContributionValidator validator = new ContributionValidator(LEGAL, true, 64);

    static Map<String, Object> record(KeyPair signer, String contributor, String text) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("contributor", contributor);
        record.put("text", text);
        record.put("license", "MIT");
        record.put("signature", ContributionSignature.sign(signer, LEGAL, ContributionId.ofText(text), "MIT"));
        return record;
    }

    private LineVerdict validate(Map<String, Object> record) throws IOException {
        return validator.validate(MAPPER.writeValueAsBytes(record));
    }

    private static QuarantineReason reason(LineVerdict verdict) {
        assertThat(verdict).isInstanceOf(LineVerdict.Rejected.class);
        return ((LineVerdict.Rejected) verdict).reason();
    }

    @Test
    void acceptsSignaturesMadeByCast() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/cast-signed.jsonl")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        ContributionValidator wide = new ContributionValidator(LEGAL, true, 1 << 20);
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            LineVerdict verdict = wide.validate(line.getBytes(StandardCharsets.UTF_8));
            assertThat(verdict).as(line).isInstanceOf(LineVerdict.Accepted.class);
            LineVerdict.Accepted accepted = (LineVerdict.Accepted) verdict;
            assertThat(accepted.contributor()).isEqualTo(accepted.contributor().toLowerCase(Locale.ROOT));
        }
        // A cast signature is bound to its Datanet: the same line is rejected for another one.
        ContributionValidator medical = new ContributionValidator(DatanetId.of("medical"), true, 1 << 20);
        assertThat(reason(medical.validate(lines.get(0).getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(QuarantineReason.BAD_SIGNATURE);
    }

    @Test
    void theIdIsTheSha256OfTheTextExactlyAsSubmitted() throws IOException {
        String text = "  Ünïcödé\ttext, with trailing spaces  \n";
        LineVerdict.Accepted accepted = (LineVerdict.Accepted) validate(record(ALICE, ALICE.address().value(), text));
        assertThat(accepted.contributionId()).isEqualTo(Hashing.sha256Hex(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(accepted.text()).isEqualTo(text);
        assertThat(accepted.textBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void addressesCompareCaseInsensitively() throws IOException {
        String upper = "0x" + ALICE.address().value().substring(2).toUpperCase(Locale.ROOT);
        assertThat(validate(record(ALICE, upper, "some text"))).isInstanceOf(LineVerdict.Accepted.class);
    }

    @Test
    void everyReasonIsReported() throws IOException {
        assertThat(reason(validator.validate("{not json".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(QuarantineReason.MALFORMED_JSON);
        assertThat(reason(validator.validate("[1, 2]".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(QuarantineReason.MALFORMED_JSON);
        Map<String, Object> missing = record(ALICE, ALICE.address().value(), "text");
        missing.remove("license");
        assertThat(reason(validate(missing))).isEqualTo(QuarantineReason.MISSING_FIELD);
        Map<String, Object> wrongType = record(ALICE, ALICE.address().value(), "text");
        wrongType.put("text", 42);
        assertThat(reason(validate(wrongType))).isEqualTo(QuarantineReason.MISSING_FIELD);
        assertThat(reason(validate(record(ALICE, "0xnot-an-address", "text")))).isEqualTo(QuarantineReason.BAD_ADDRESS);
        // A checksummed address with one letter's case flipped: a typo EIP-55 exists to catch.
        String checksummed = ALICE.address().checksummed();
        int letter = 2;
        while (!Character.isLetter(checksummed.charAt(letter))) {
            letter++;
        }
        String flipped = checksummed.substring(0, letter)
                + (Character.isUpperCase(checksummed.charAt(letter)) ? Character.toLowerCase(checksummed.charAt(letter))
                        : Character.toUpperCase(checksummed.charAt(letter)))
                + checksummed.substring(letter + 1);
        assertThat(validate(record(ALICE, checksummed, "checksummed text"))).isInstanceOf(LineVerdict.Accepted.class);
        assertThat(reason(validate(record(ALICE, flipped, "text")))).isEqualTo(QuarantineReason.BAD_ADDRESS);
        assertThat(reason(validate(record(BOB, ALICE.address().value(), "text")))).isEqualTo(QuarantineReason.BAD_SIGNATURE);
        Map<String, Object> shortSignature = record(ALICE, ALICE.address().value(), "text");
        shortSignature.put("signature", "0x1234");
        assertThat(reason(validate(shortSignature))).isEqualTo(QuarantineReason.BAD_SIGNATURE);
        assertThat(reason(validate(record(ALICE, ALICE.address().value(), " \n\t ")))).isEqualTo(QuarantineReason.EMPTY_TEXT);
        assertThat(reason(validate(record(ALICE, ALICE.address().value(), "x".repeat(65)))))
                .isEqualTo(QuarantineReason.TEXT_TOO_LARGE);
        assertThat(validate(record(ALICE, ALICE.address().value(), "x".repeat(64)))).isInstanceOf(LineVerdict.Accepted.class);
        Map<String, Object> license = record(ALICE, ALICE.address().value(), "text");
        license.put("license", "mit-ish");
        assertThat(reason(validate(license))).isEqualTo(QuarantineReason.BAD_LICENSE);
        byte[] invalid = MAPPER.writeValueAsBytes(record(ALICE, ALICE.address().value(), "caf\u00e9"));
        String json = new String(invalid, StandardCharsets.UTF_8);
        int at = json.indexOf("caf") + 3;
        byte[] broken = new byte[invalid.length];
        System.arraycopy(invalid, 0, broken, 0, invalid.length);
        broken[at] = (byte) 0xC3;
        broken[at + 1] = (byte) 0x28;
        assertThat(reason(validator.validate(broken))).isEqualTo(QuarantineReason.INVALID_UTF8);
        String surrogate = "{\"contributor\":\"" + ALICE.address() + "\",\"text\":\"a\\ud800b\",\"license\":\"MIT\",\"signature\":\"0x00\"}";
        assertThat(reason(validator.validate(surrogate.getBytes(StandardCharsets.UTF_8)))).isEqualTo(QuarantineReason.INVALID_UTF8);
        ContributionValidator unknown = new ContributionValidator(DatanetId.of("nowhere"), false, 64);
        assertThat(reason(unknown.validate(MAPPER.writeValueAsBytes(record(ALICE, ALICE.address().value(), "text")))))
                .isEqualTo(QuarantineReason.UNKNOWN_DATANET);
    }

    @Test
    void optionalFieldsAreCheckedToo() throws IOException {
        Map<String, Object> dated = record(ALICE, ALICE.address().value(), "text");
        dated.put("submitted_at", "2026-03-01T12:00:00+02:00");
        dated.put("source", "https://example.org/a");
        LineVerdict.Accepted accepted = (LineVerdict.Accepted) validate(dated);
        assertThat(accepted.submittedAt()).hasToString("2026-03-01T10:00:00Z");
        dated.put("submitted_at", "yesterday");
        assertThat(reason(validate(dated))).isEqualTo(QuarantineReason.MALFORMED_JSON);
    }

    @Test
    void licenseRefIdsAreAccepted() throws IOException {
        Map<String, Object> custom = record(ALICE, ALICE.address().value(), "text");
        custom.put("license", "LicenseRef-Acme-Internal-1.0");
        custom.put("signature", ContributionSignature.sign(ALICE, LEGAL, ContributionId.ofText("text"),
                "LicenseRef-Acme-Internal-1.0"));
        assertThat(validate(custom)).isInstanceOf(LineVerdict.Accepted.class);
    }

    @Test
    void aLicenseChangedAfterSigningIsABadSignature() throws IOException {
        // Signed as MIT; a relayer relabels it GPL: the signature covers the license, so the line is refused.
        Map<String, Object> relabelled = record(ALICE, ALICE.address().value(), "text");
        relabelled.put("license", "GPL-3.0-only");
        assertThat(reason(validate(relabelled))).isEqualTo(QuarantineReason.BAD_SIGNATURE);
    }
}
