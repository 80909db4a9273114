package io.tributary.core.money;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.money.FeeSplitter.Holder;
import io.tributary.core.money.FeeSplitter.Prior;
import io.tributary.core.money.FeeSplitter.Request;
import io.tributary.core.money.FeeSplitter.Span;
import io.tributary.core.money.FeeSplitter.Split;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The splitter's integer path against the straightforward rational computation ({@link FeeSplitter#referenceSplit}). */
class IntegerPoolSplitTest {
    private static final String TREASURY = "0x000000000000000000000000000000000000dEaD";
    private static final String CREATOR = "0x00000000000000000000000000000000000000C0";
    /** Few accounts, two differing only in case: equal credits and ties between them are frequent. */
    private static final String[] ACCOUNTS = {"0x000000000000000000000000000000000000000A",
        "0x000000000000000000000000000000000000000a", "0x000000000000000000000000000000000000000b",
        "0x00000000000000000000000000000000000000cc", "0x00000000000000000000000000000000000000DD", CREATOR,
        "0x1000000000000000000000000000000000000001", "0x0fffffffffffffffffffffffffffffffffffffff"};

    @Test
    void givesTheReferenceSplitLineForLineOnRandomInputs() {
        Random random = new Random(20261202);
        int fast = 0;
        int rounds = 20_000;
        for (int round = 0; round < rounds; round++) {
            Request request = randomRequest(random);
            Split reference = FeeSplitter.referenceSplit(request);
            RewardPolicy policy = request.policy().orElseThrow();
            BigInteger protocol = request.fee().multiply(BigInteger.valueOf(policy.protocolBps())).divide(BigInteger.valueOf(10_000));
            BigInteger creator = request.fee().multiply(BigInteger.valueOf(policy.creatorBps())).divide(BigInteger.valueOf(10_000));
            Split integer = IntegerPoolSplit.split(request, protocol, creator, request.fee().subtract(protocol).subtract(creator));
            if (integer != null) {
                fast++;
                assertThat(integer).as("round %d: %s", round, request).isEqualTo(reference);
            }
            assertThat(FeeSplitter.split(request)).as("round %d", round).isEqualTo(reference);
            assertThat(reference.total()).isEqualTo(request.fee());
        }
        // Most requests must take the integer path, or this test would check little.
        assertThat(fast).isGreaterThan(rounds / 2);
    }

    @Test
    void priorsWithManyTrainingContributionsPerAccountMatchTheReference() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<Prior> priors = new ArrayList<>();
            for (int p = 0; p < 300; p++) {
                priors.add(new Prior("t" + p, ACCOUNTS[random.nextInt(ACCOUNTS.length)], Rational.of(1 + random.nextInt(3000))));
            }
            int tokens = 200;
            List<Span> spans = List.of(new Span(50 + random.nextInt(20), 140, List.of(new Holder("q", ACCOUNTS[random.nextInt(3)]))));
            BigInteger fee = BigInteger.valueOf(1_000_000_000_000L + random.nextInt(1_000_000));
            Request request = new Request(fee, Optional.of(new RewardPolicy(500, 1500, 8000)), Optional.of(CREATOR), TREASURY,
                    tokens, spans, SplitPriors.of(priors));
            assertThat(FeeSplitter.split(request)).isEqualTo(FeeSplitter.referenceSplit(request));
        }
    }

    @Test
    void mulDivIsExactAcrossTheWholeRange() {
        Random random = new Random(11);
        long[] remainder = new long[1];
        for (int i = 0; i < 200_000; i++) {
            long d = 1 + (random.nextLong() >>> (2 + random.nextInt(62)));
            long b = d == 1 ? 1 : Math.floorMod(random.nextLong() >>> random.nextInt(64), d + 1);
            long a = random.nextLong() >>> (1 + random.nextInt(63));
            if (i % 7 == 0) {
                b = d; // the largest b allowed: quotient a
            }
            BigInteger[] expected = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divideAndRemainder(BigInteger.valueOf(d));
            long quotient = IntegerPoolSplit.mulDiv(a, b, d, remainder, 0);
            assertThat(quotient).as("%d * %d / %d", a, b, d).isEqualTo(expected[0].longValueExact());
            assertThat(remainder[0]).as("%d * %d %% %d", a, b, d).isEqualTo(expected[1].longValueExact());
        }
        assertThat(IntegerPoolSplit.mulDiv(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, remainder, 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(remainder[0]).isZero();
    }

    private static Request randomRequest(Random random) {
        BigInteger fee = switch (random.nextInt(4)) {
            case 0 -> BigInteger.valueOf(random.nextInt(20)); // a few wei: every leftover is decided by ties
            case 1 -> BigInteger.valueOf(random.nextLong() >>> 1);
            case 2 -> new BigInteger(70, random); // past a long: the rational path
            default -> BigInteger.valueOf(1_000_000_000_000L + random.nextInt(1_000_000));
        };
        int protocolBps = random.nextInt(3000);
        int creatorBps = random.nextInt(3000);
        RewardPolicy policy = new RewardPolicy(protocolBps, creatorBps, 10_000 - protocolBps - creatorBps);
        int tokens = 1 + random.nextInt(80);
        List<Span> spans = new ArrayList<>();
        for (int s = random.nextInt(6); s > 0; s--) {
            int start = random.nextInt(tokens);
            int end = start + 1 + random.nextInt(Math.min(tokens - start, 1 + random.nextInt(30)));
            List<Holder> holders = new ArrayList<>();
            for (int h = random.nextInt(random.nextInt(8) == 0 ? 14 : 4); h > 0; h--) {
                int who = random.nextInt(ACCOUNTS.length);
                holders.add(new Holder("c" + who + "-" + random.nextInt(3), ACCOUNTS[who]));
            }
            spans.add(new Span(start, end, holders));
        }
        List<Prior> priors = new ArrayList<>();
        int kind = random.nextInt(4);
        for (int p = random.nextInt(kind == 0 ? 1 : 12); p > 0; p--) {
            String account = ACCOUNTS[random.nextInt(ACCOUNTS.length)];
            Rational weight = switch (kind) {
                case 1 -> Rational.of(random.nextInt(4)); // equal integer weights, some zero
                case 2 -> Rational.of(random.nextInt(9) - 2, 1 + random.nextInt(12)); // fractions, some not positive
                default -> Rational.of(1 + random.nextInt(1_000_000));
            };
            priors.add(new Prior("p" + p, account, weight));
        }
        if (random.nextInt(20) == 0) {
            // A weight with no small integer form: the rational path.
            priors.add(new Prior("huge", ACCOUNTS[0], new Rational(BigInteger.ONE, BigInteger.TWO.pow(80).add(BigInteger.ONE))));
        }
        return new Request(fee, Optional.of(policy), Optional.of(CREATOR), TREASURY, tokens, spans, priors);
    }
}
