package io.tributary.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.hash.Hex;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Signatures and addresses that would let someone else's bytes pass as a contributor's: all refused. */
class SignatureIntegrityTest {
    private static final KeyPair ALICE = KeyPair.fromSeed("alice");
    private static final DatanetId LEGAL = DatanetId.of("legal");
    private static final ContributionId TEXT = ContributionId.ofText("A text whose use and payout are signed.");

    @Test
    void theHighSTwinOfAValidSignatureIsRefused() {
        byte[] low = Hex.decode(ContributionSignature.sign(ALICE, LEGAL, TEXT, "MIT"));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(low, 32, 64));
        byte[] high = low.clone();
        System.arraycopy(Secp256k1.unsigned32(Secp256k1.ORDER.subtract(s)), 0, high, 32, 32);
        high[64] = (byte) (high[64] == 27 ? 28 : 27);
        String message = ContributionSignature.message(LEGAL, TEXT, "MIT");

        assertThat(PersonalMessage.recoverSigner(message, Hex.encodePrefixed(low))).contains(ALICE.address());
        // Mathematically valid for the same key (ecrecover would accept it); canonical verifiers do not.
        assertThat(PersonalMessage.recoverSigner(message, Hex.encodePrefixed(high))).isEmpty();
    }

    @Test
    void theSignedMessageCoversDatanetContributionAndLicense() {
        String signature = ContributionSignature.sign(ALICE, LEGAL, TEXT, "MIT");
        assertThat(ContributionSignature.verify(ALICE.address(), LEGAL, TEXT, "MIT", signature)).isTrue();
        assertThat(ContributionSignature.verify(ALICE.address(), LEGAL, TEXT, "GPL-3.0-only", signature)).isFalse();
        assertThat(ContributionSignature.verify(ALICE.address(), DatanetId.of("medical"), TEXT, "MIT", signature)).isFalse();
        assertThat(ContributionSignature.verify(ALICE.address(), LEGAL, ContributionId.ofText("other"), "MIT", signature))
                .isFalse();
        assertThat(ContributionSignature.message(LEGAL, TEXT, "MIT"))
                .isEqualTo("tributary contribution v2\ndatanet: legal\ncontribution: " + TEXT.hex() + "\nlicense: MIT");
        assertThatThrownBy(() -> ContributionSignature.message(LEGAL, TEXT, "MIT\nlicense: GPL-3.0-only"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mixedCaseAddressesMustCarryTheirEip55Checksum() {
        // The EIP-55 specification's own examples.
        for (String good : List.of("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")) {
            assertThat(Address.isValid(good)).as(good).isTrue();
            assertThat(Address.of(good).checksummed()).isEqualTo(good);
            assertThat(Address.isValid(good.toLowerCase(Locale.ROOT))).isTrue();
            assertThat(Address.isValid("0x" + good.substring(2).toUpperCase(Locale.ROOT))).isTrue();
        }
        String flipped = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";
        assertThat(Address.isValid(flipped)).isFalse();
        assertThat(Address.parse(flipped)).isEmpty();
        assertThatThrownBy(() -> Address.of(flipped)).isInstanceOf(IllegalArgumentException.class);
    }
}
