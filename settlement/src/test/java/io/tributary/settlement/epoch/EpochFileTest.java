package io.tributary.settlement.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.cli.UserError;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class EpochFileTest {
    private static final String A = "0x1111111111111111111111111111111111111111";
    private static final String B = "0x2222222222222222222222222222222222222222";

    @Test
    void sums_payouts_to_the_same_account_and_drops_zero_amounts() {
        EpochPayouts payouts = EpochFile.parse("""
                {"epoch": 7, "payouts": [
                  {"account": "%s", "amount": "5"},
                  {"account": "%s", "amount": "0"},
                  {"account": "%s", "amount": "10"}]}""".formatted(B, A, B.toUpperCase().replace("0X", "0x")), "t");
        assertThat(payouts.epoch()).isEqualTo(7);
        assertThat(payouts.payouts()).containsExactly(new Payout(io.tributary.core.crypto.Address.of(B), BigInteger.valueOf(15)));
        assertThat(payouts.total()).isEqualTo(15);
    }

    @Test
    void refuses_a_bad_address_naming_the_entry() {
        assertThatThrownBy(() -> EpochFile.parse("""
                {"epoch": 1, "payouts": [{"account": "%s", "amount": "1"}, {"account": "0x12", "amount": "1"}]}""".formatted(A), "f.json"))
                .isInstanceOf(UserError.class).hasMessageContaining("f.json").hasMessageContaining("payouts[1]")
                .hasMessageContaining("bad account").hasMessageContaining("nothing sent");
    }

    @Test
    void refuses_a_mixed_case_account_with_a_wrong_eip55_checksum() {
        // The EIP-55 example address with its last letter's case flipped: one typo, another account.
        assertThatThrownBy(() -> EpochFile.parse("""
                {"epoch": 1, "payouts": [{"account": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "amount": "1"}]}""", "f.json"))
                .isInstanceOf(UserError.class).hasMessageContaining("payouts[0]").hasMessageContaining("bad account");
        assertThat(EpochFile.parse("""
                {"epoch": 1, "payouts": [{"account": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "amount": "1"}]}""", "f.json")
                .payouts()).hasSize(1);
    }

    @Test
    void refuses_negative_and_non_integer_amounts() {
        assertThatThrownBy(() -> EpochFile.parse("""
                {"epoch": 1, "payouts": [{"account": "%s", "amount": "-3"}]}""".formatted(A), "f"))
                .hasMessageContaining("payouts[0]").hasMessageContaining("negative");
        assertThatThrownBy(() -> EpochFile.parse("""
                {"epoch": 1, "payouts": [{"account": "%s", "amount": "1.5"}]}""".formatted(A), "f"))
                .hasMessageContaining("not a non-negative integer");
        assertThatThrownBy(() -> EpochFile.parse("""
                {"epoch": 1, "payouts": [{"account": "%s", "amount": 12}]}""".formatted(A), "f"))
                .hasMessageContaining("decimal string");
        assertThatThrownBy(() -> EpochFile.parse("""
                {"epoch": 1, "payouts": [{"account": "%s", "amount": "%s"}]}""".formatted(A, BigInteger.TWO.pow(256)), "f"))
                .hasMessageContaining("uint256");
    }

    @Test
    void refuses_structural_defects() {
        assertThatThrownBy(() -> EpochFile.parse("{\"epoch\": 1, \"epoch\": 2, \"payouts\": []}", "f"))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> EpochFile.parse("{\"epoch\": -1, \"payouts\": []}", "f")).hasMessageContaining("epoch");
        assertThatThrownBy(() -> EpochFile.parse("{\"epoch\": 1, \"payouts\": []}", "f")).hasMessageContaining("pays nobody");
        assertThatThrownBy(() -> EpochFile.parse("""
                {"epoch": 1, "payouts": [{"acount": "%s", "amount": "1"}]}""".formatted(A), "f"))
                .hasMessageContaining("unknown field \"acount\"");
        assertThatThrownBy(() -> EpochFile.parse("""
                {"epoch": 1, "payouts": [{"account": "0x0000000000000000000000000000000000000000", "amount": "1"}]}""", "f"))
                .hasMessageContaining("zero address");
    }
}
