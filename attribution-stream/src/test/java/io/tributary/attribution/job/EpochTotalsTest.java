package io.tributary.attribution.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class EpochTotalsTest {
    @Test
    void theHandWrittenJsonIsValidAndDecodesToTheSameTotals() throws Exception {
        EpochTotals totals = new EpochTotals();
        totals.inferences = 3;
        totals.late = 1;
        totals.fees = new BigInteger("123456789012345678901234567890");
        totals.owe("contributor", "0x000000000000000000000000000000000000000A", BigInteger.valueOf(7));
        totals.owe("contributor", "0x000000000000000000000000000000000000000A", BigInteger.valueOf(5));
        totals.owe("creator", "odd \"account\"\\\n", BigInteger.TEN.pow(30));
        totals.owe("protocol", "0xdead", BigInteger.ZERO); // nothing owed: no entry

        String json = totals.encode();
        new ObjectMapper().readTree(json); // valid JSON, or this throws
        EpochTotals back = EpochTotals.decode(json);

        assertThat(back.inferences).isEqualTo(3);
        assertThat(back.late).isEqualTo(1);
        assertThat(back.fees).isEqualTo(totals.fees);
        assertThat(back.owed).containsExactlyEntriesOf(totals.owed);
        assertThat(back.owed).containsEntry("contributor|0x000000000000000000000000000000000000000A", BigInteger.valueOf(12))
                .hasSize(2);
        assertThat(EpochTotals.decode(new EpochTotals().encode()).owed).isEmpty();
    }
}
