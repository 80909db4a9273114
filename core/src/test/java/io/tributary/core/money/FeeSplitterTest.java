package io.tributary.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.money.FeeSplitter.Holder;
import io.tributary.core.money.FeeSplitter.Kind;
import io.tributary.core.money.FeeSplitter.Line;
import io.tributary.core.money.FeeSplitter.Prior;
import io.tributary.core.money.FeeSplitter.Request;
import io.tributary.core.money.FeeSplitter.Span;
import io.tributary.core.money.FeeSplitter.Split;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FeeSplitterTest {
    private static final String TREASURY = "0x000000000000000000000000000000000000dEaD";
    private static final String CREATOR = "0x00000000000000000000000000000000000000C0";
    private static final String ALICE = "0x000000000000000000000000000000000000000A";
    private static final String BOB = "0x000000000000000000000000000000000000000b";
    private static final RewardPolicy POLICY = new RewardPolicy(500, 1500, 8000);

    @Test
    void baseModelInferencePaysTheProtocolOnly() {
        Split split = FeeSplitter.split(new Request(BigInteger.valueOf(12345), Optional.empty(), Optional.empty(), TREASURY,
                10, List.of(new Span(0, 10, List.of(new Holder("c1", ALICE)))), List.of()));
        assertThat(split.lines()).singleElement().satisfies(line -> {
            assertThat(line.kind()).isEqualTo(Kind.PROTOCOL);
            assertThat(line.account()).isEqualTo(TREASURY);
            assertThat(line.wei()).isEqualTo(BigInteger.valueOf(12345));
        });
    }

    @Test
    void rolesAreFlooredAndThePoolTakesTheRest() {
        // 999 wei: protocol floor(49.95) = 49, creator floor(149.85) = 149, pool 801.
        Split split = FeeSplitter.split(new Request(BigInteger.valueOf(999), Optional.of(POLICY), Optional.of(CREATOR), TREASURY,
                4, List.of(new Span(0, 4, List.of(new Holder("c1", ALICE)))), List.of()));
        assertThat(split.protocol()).isEqualTo(49);
        assertThat(split.creator()).isEqualTo(149);
        assertThat(split.pool()).isEqualTo(801);
        assertThat(wei(split, Kind.SPAN, ALICE)).isEqualTo(801);
        assertThat(split.total()).isEqualTo(999);
    }

    @Test
    void anAdapterWithoutCreatorPaysItsShareToTheTreasury() {
        Split split = FeeSplitter.split(new Request(BigInteger.valueOf(10_000), Optional.of(POLICY), Optional.empty(), TREASURY,
                4, List.of(new Span(0, 4, List.of(new Holder("c1", ALICE)))), List.of()));
        assertThat(split.lines()).filteredOn(line -> line.kind() == Kind.CREATOR).singleElement()
                .satisfies(line -> assertThat(line.account()).isEqualTo(TREASURY));
        assertThat(wei(split, Kind.CREATOR, TREASURY)).isEqualTo(1500);
    }

    @Test
    void aLeftoverWeiGoesToTheLowerAddressOnATie() {
        // pool = 1 wei (policy 0/0/10000, fee 1), two contributors with equal credit: the lower address gets it.
        Split split = FeeSplitter.split(new Request(BigInteger.ONE, Optional.of(new RewardPolicy(0, 0, 10_000)),
                Optional.of(CREATOR), TREASURY, 4,
                List.of(new Span(0, 4, List.of(new Holder("c2", BOB), new Holder("c1", ALICE)))), List.of()));
        assertThat(wei(split, Kind.SPAN, ALICE)).isEqualTo(1);
        assertThat(wei(split, Kind.SPAN, BOB)).isEqualTo(0);
    }

    @Test
    void eachTokenGoesToTheLongestSpanCoveringItTiesToTheEarliest() {
        // Spans [0,6) and [4,8) overlap on 4 and 5: the longer [0,6) takes them. [8,10) and [9,11) tie on 9: earliest.
        int[] owner = FeeSplitter.assignTokens(12, List.of(new Span(4, 8, List.of()), new Span(0, 6, List.of()),
                new Span(8, 10, List.of()), new Span(9, 11, List.of())));
        assertThat(owner).containsExactly(1, 1, 1, 1, 1, 1, 0, 0, 2, 2, 3, -1);
    }

    @Test
    void uncoveredTokensGoToPriorsByWeightAndSharedSpansSplitEqually() {
        // 10 tokens: [0,4) held by two contributions of Alice and Bob (2 tokens each), 6 uncovered by priors 1:2.
        Split split = FeeSplitter.split(new Request(BigInteger.valueOf(1_000_000), Optional.of(new RewardPolicy(0, 0, 10_000)),
                Optional.of(CREATOR), TREASURY, 10,
                List.of(new Span(0, 4, List.of(new Holder("a1", ALICE), new Holder("b1", BOB), new Holder("a1", ALICE)))),
                List.of(new Prior("a2", ALICE, Rational.of(1)), new Prior("b2", BOB, Rational.of(2)))));
        // Alice: 2 + 2 = 4 tokens, Bob: 2 + 4 = 6 tokens.
        assertThat(wei(split, Kind.SPAN, ALICE).add(wei(split, Kind.PRIOR, ALICE))).isEqualTo(400_000);
        assertThat(wei(split, Kind.SPAN, BOB).add(wei(split, Kind.PRIOR, BOB))).isEqualTo(600_000);
        assertThat(split.coveredTokens()).isEqualTo(4);
    }

    @Test
    void aPoolWithNoCreditGoesToTheTreasury() {
        Split split = FeeSplitter.split(new Request(BigInteger.valueOf(100), Optional.of(POLICY), Optional.of(CREATOR), TREASURY,
                7, List.of(), List.of()));
        assertThat(wei(split, Kind.PROTOCOL, TREASURY)).isEqualTo(85);
        assertThat(split.total()).isEqualTo(100);
    }

    @Test
    void conservesEveryFeeToTheWeiAndMatchesExactSharesOverRandomInputs() {
        Random random = new Random(20261201);
        String[] accounts = {ALICE, BOB, "0x00000000000000000000000000000000000000cc", "0x00000000000000000000000000000000000000DD",
                CREATOR};
        for (int round = 0; round < 2000; round++) {
            BigInteger fee = new BigInteger(1 + random.nextInt(100), random);
            int protocolBps = random.nextInt(3000);
            int creatorBps = random.nextInt(3000);
            RewardPolicy policy = new RewardPolicy(protocolBps, creatorBps, 10_000 - protocolBps - creatorBps);
            int tokens = 1 + random.nextInt(60);
            List<Span> spans = new ArrayList<>();
            for (int s = random.nextInt(5); s > 0; s--) {
                int start = random.nextInt(tokens);
                int end = start + 1 + random.nextInt(tokens - start);
                List<Holder> holders = new ArrayList<>();
                for (int h = 1 + random.nextInt(3); h > 0; h--) {
                    int who = random.nextInt(accounts.length);
                    holders.add(new Holder("c" + who + "-" + random.nextInt(2), accounts[who]));
                }
                spans.add(new Span(start, end, holders));
            }
            List<Prior> priors = new ArrayList<>();
            for (int p = random.nextInt(3); p > 0; p--) {
                int who = random.nextInt(accounts.length);
                priors.add(new Prior("p" + who, accounts[who], Rational.of(random.nextInt(5), 1 + random.nextInt(7))));
            }
            Split split = FeeSplitter.split(new Request(fee, Optional.of(policy), Optional.of(CREATOR), TREASURY, tokens,
                    spans, priors));
            assertThat(split.total()).as("round %d", round).isEqualTo(fee);
            assertThat(split.lines()).allSatisfy(line -> assertThat(line.wei().signum()).isNotNegative());
            // Reference: each account's exact rational share of the pool, recomputed by brute force per token.
            Map<String, Rational> exact = referenceCredits(tokens, spans, priors);
            Rational total = exact.values().stream().reduce(Rational.ZERO, Rational::plus);
            Map<String, BigInteger> paid = new TreeMap<>();
            split.lines().stream().filter(line -> line.kind() == Kind.SPAN || line.kind() == Kind.PRIOR)
                    .forEach(line -> paid.merge(line.account(), line.wei(), BigInteger::add));
            if (total.signum() == 0) {
                assertThat(paid).isEmpty();
                continue;
            }
            for (Map.Entry<String, Rational> account : exact.entrySet()) {
                Rational share = account.getValue().dividedBy(total).times(split.pool());
                Rational difference = Rational.of(paid.getOrDefault(account.getKey(), BigInteger.ZERO)).minus(share);
                assertThat(difference.compareTo(Rational.of(-1)) > 0 && difference.compareTo(Rational.ONE) < 0)
                        .as("round %d account %s paid %s exact %s", round, account.getKey(), paid.get(account.getKey()), share)
                        .isTrue();
            }
        }
    }

    /** Per token: every span covering it, keep the longest (earliest on ties); no shared code with the splitter. */
    private static Map<String, Rational> referenceCredits(int tokens, List<Span> spans, List<Prior> priors) {
        Map<String, Rational> credit = new TreeMap<>();
        int uncovered = 0;
        for (int t = 0; t < tokens; t++) {
            Span best = null;
            for (Span span : spans) {
                if (span.start() <= t && t < span.end() && (best == null || span.end() - span.start() > best.end() - best.start()
                        || (span.end() - span.start() == best.end() - best.start() && span.start() < best.start()))) {
                    best = span;
                }
            }
            if (best == null) {
                uncovered++;
                continue;
            }
            Map<String, String> distinct = new TreeMap<>();
            best.holders().forEach(h -> distinct.putIfAbsent(h.contributionId(), h.account()));
            for (String account : distinct.values()) {
                credit.merge(account, Rational.of(1, distinct.size()), Rational::plus);
            }
        }
        Rational priorTotal = priors.stream().map(Prior::weight).reduce(Rational.ZERO, Rational::plus);
        if (uncovered > 0 && priorTotal.signum() > 0) {
            for (Prior prior : priors) {
                credit.merge(prior.account(), prior.weight().dividedBy(priorTotal).times(BigInteger.valueOf(uncovered)),
                        Rational::plus);
            }
        }
        credit.values().removeIf(value -> value.signum() == 0);
        return credit;
    }

    @Test
    void largestRemainderRefusesAllZeroWeights() {
        assertThatThrownBy(() -> LargestRemainder.split(BigInteger.TEN, Map.of("a", Rational.ZERO)))
                .hasMessageContaining("all zero");
    }

    private static BigInteger wei(Split split, Kind kind, String account) {
        return split.lines().stream().filter(line -> line.kind() == kind && line.account().equals(account))
                .map(Line::wei).reduce(BigInteger.ZERO, BigInteger::add);
    }
}
