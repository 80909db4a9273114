package io.tributary.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.hash.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PersonalMessageTest {
    record CastVector(String privateKey, String address, String message, String signature) {}

    static List<CastVector> castVectors() throws IOException {
        try (InputStream in = PersonalMessageTest.class.getResourceAsStream("/cast-personal-sign.tsv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("#") && !line.isBlank())
                    .map(line -> line.split("\t"))
                    .map(f -> new CastVector(f[0], f[1], f[2], f[3]))
                    .toList();
        }
    }

    @Test
    void recoversTheSignerOfSignaturesMadeByCast() throws IOException {
        List<CastVector> vectors = castVectors();
        assertThat(vectors).hasSize(9);
        for (CastVector vector : vectors) {
            assertThat(PersonalMessage.recoverSigner(vector.message(), vector.signature()))
                    .as(vector.message())
                    .contains(Address.of(vector.address()));
        }
    }

    @Test
    void signsByteForByteAsCastDoes() throws IOException {
        for (CastVector vector : castVectors()) {
            KeyPair key = KeyPair.fromPrivateKey(vector.privateKey());
            assertThat(key.address()).isEqualTo(Address.of(vector.address()));
            assertThat(key.signPersonalMessageHex(vector.message())).isEqualTo(vector.signature().toLowerCase());
        }
    }

    @Test
    void aSignatureOverAnotherMessageRecoversAnotherAddress() throws IOException {
        CastVector vector = castVectors().get(0);
        assertThat(PersonalMessage.recoverSigner(vector.message() + "!", vector.signature()))
                .isPresent()
                .get()
                .isNotEqualTo(Address.of(vector.address()));
    }

    @Test
    void rejectsMalformedSignatures() throws IOException {
        String good = castVectors().get(0).signature();
        assertThat(PersonalMessage.recoverSigner("hello", good.substring(0, good.length() - 2))).isEmpty();
        assertThat(PersonalMessage.recoverSigner("hello", good.substring(0, good.length() - 2) + "05")).isEmpty();
        assertThat(PersonalMessage.recoverSigner("hello", "0xzz")).isEmpty();
        assertThat(PersonalMessage.recoverSigner("hello", "0x" + "00".repeat(65))).isEmpty();
    }

    @Test
    void acceptsRecoveryIdsZeroAndOneAsWellAs27And28() {
        KeyPair key = KeyPair.fromSeed("recovery-id");
        byte[] signature = key.signPersonalMessage("m".getBytes(StandardCharsets.UTF_8));
        signature[64] -= 27;
        assertThat(PersonalMessage.recoverSigner("m", Hex.encodePrefixed(signature))).contains(key.address());
    }

    @Test
    void randomKeysRoundTrip() {
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            KeyPair key = KeyPair.fromSeed("key-" + random.nextLong());
            String message = "message " + random.nextInt();
            assertThat(PersonalMessage.recoverSigner(message, key.signPersonalMessageHex(message))).contains(key.address());
        }
    }

    @Test
    void keyPairNeverPrintsItsPrivateKey() {
        KeyPair key = KeyPair.fromSeed("secret");
        assertThat(key.toString()).doesNotContain(key.privateKeyHex().substring(2)).contains(key.address().value());
    }
}
