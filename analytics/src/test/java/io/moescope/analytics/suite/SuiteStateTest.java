package io.moescope.analytics.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The suite of a live run extended request by request from a kept state is the batch's suite over the same tokens,
 * exactly: a property over random growing runs (requests of random lengths that stream side by side, gaps in token
 * indices, phases, random extension points and random requests said to be closed), beside a few fixed cases.
 */
class SuiteStateTest {

    private static final int EXPERTS = 4;

    @Test
    void extendedSuitesEqualTheBatchSuiteOverTheSameTokensForRandomGrowingRuns() {
        for (long seed = 1; seed <= 12; seed++) {
            checkGrowingRun(new Random(seed), RequestSeparation.SEPARABLE);
        }
    }

    @Test
    void extendedSuitesEqualTheBatchSuiteWhenRequestsCannotBeToldApart() {
        for (long seed = 100; seed <= 104; seed++) {
            checkGrowingRun(new Random(seed), RequestSeparation.of("one request id for a batch of prompts"));
        }
    }

    @Test
    void extendedSuitesEqualTheBatchSuiteAcrossTheMergingOfResamplingUnits() {
        // more requests than ResamplingUnits.MAX_UNITS: neighbouring units merge while the state grows
        for (long seed = 200; seed <= 202; seed++) {
            Random random = new Random(seed);
            List<List<TokenRouting>> requests = requests(random, 230 + random.nextInt(200), 12);
            checkGrowing(random, requests, RequestSeparation.SEPARABLE, 80, false);
        }
    }

    @Test
    void suitesExtendedFromTheSettledStateEqualTheBatchSuiteForRandomGrowingRuns() {
        for (long seed = 300; seed <= 311; seed++) {
            Random random = new Random(seed);
            checkGrowing(random, requests(random, 1 + random.nextInt(40), 1 + random.nextInt(60)),
                    RequestSeparation.SEPARABLE, 4, true);
        }
    }

    @Test
    void suitesExtendedFromTheSettledStateEqualTheBatchSuiteAcrossTheMergingOfResamplingUnits() {
        for (long seed = 400; seed <= 402; seed++) {
            Random random = new Random(seed);
            checkGrowing(random, requests(random, 230 + random.nextInt(200), 12), RequestSeparation.SEPARABLE, 80,
                    true);
        }
    }

    @Test
    void theSettledStateEndsAtTheLastSettledRequestBeforeTheFirstNotSettled() {
        List<List<TokenRouting>> requests = requests(new Random(9), 5, 6);
        var state = new SuiteState(freshPass(RequestSeparation.SEPARABLE));
        SuiteState.Extension extension = state.extend(tokens -> id(tokens).equals("req-0000"),
                tokens -> !id(tokens).equals("req-0003"));
        requests.forEach(request -> request.forEach(extension));
        extension.pass();
        SuiteState settled = extension.settled().orElseThrow();

        assertThat(state.lastCommittedRequest()).contains("req-0000");
        assertThat(settled.lastCommittedRequest()).contains("req-0002");
        assertThat(settled.committedTokens())
                .isEqualTo(requests.get(0).size() + requests.get(1).size() + requests.get(2).size());
    }

    @Test
    void noSettledStateWhenTheRequestAfterTheCommittedOnesIsNotSettled() {
        List<List<TokenRouting>> requests = requests(new Random(10), 4, 6);
        var state = new SuiteState(freshPass(RequestSeparation.SEPARABLE));
        SuiteState.Extension extension = state.extend(tokens -> id(tokens).equals("req-0000"),
                tokens -> !id(tokens).equals("req-0001"));
        requests.forEach(request -> request.forEach(extension));
        extension.pass();

        assertThat(extension.settled()).isEmpty();
    }

    @Test
    void aRequestNotClosedIsNeverCommittedNorAnyAfterIt() {
        List<List<TokenRouting>> requests = requests(new Random(7), 3, 5);
        var state = new SuiteState(freshPass(RequestSeparation.SEPARABLE));
        SuiteState.Extension extension = state.extend(tokens -> !tokens.get(0).requestId().equals("req-0001"));
        requests.forEach(request -> request.forEach(extension));
        extension.pass();
        assertThat(state.lastCommittedRequest()).contains("req-0000");
        assertThat(state.committedTokens()).isEqualTo(requests.get(0).size());
    }

    @Test
    void aSuiteFromTheStateLeavesItExtendable() {
        List<List<TokenRouting>> requests = requests(new Random(8), 6, 9);
        var state = new SuiteState(freshPass(RequestSeparation.SEPARABLE));
        SuiteState.Extension first = state.extend(tokens -> true);
        requests.subList(0, 3).forEach(request -> request.forEach(first));
        MetricSuite early = suite(first.pass());
        SuiteState.Extension second = state.extend(tokens -> true);
        requests.subList(3, 6).forEach(request -> request.forEach(second));

        assertSameSuite(suite(second.pass()), batch(requests, RequestSeparation.SEPARABLE));
        assertSameSuite(early, batch(requests.subList(0, 3), RequestSeparation.SEPARABLE));
    }

    private static void checkGrowingRun(Random random, RequestSeparation separation) {
        checkGrowing(random, requests(random, 1 + random.nextInt(40), 1 + random.nextInt(60)), separation, 4, false);
    }

    private static String id(List<TokenRouting> request) {
        return request.get(0).requestId();
    }

    /**
     * The run grows in random steps: requests start in id order (fewer than {@code maxStartsPerStep} a step),
     * several stream at once, each step adds a random number of tokens to the open ones. After each step the state
     * is extended by the requests after its last committed one as the run holds them then; a request may be said
     * closed only once it has all its tokens (the premise the platform checks), and is, at random. With
     * {@code settling}, the extensions from the state say requests settled as well (fewer are closed), and the next
     * extension is, at random, from the settled state the last one from the state offered (which commits settled
     * requests in turn); a request is said settled, too, only once it has all its tokens.
     */
    private static void checkGrowing(Random random, List<List<TokenRouting>> requests, RequestSeparation separation,
                                     int maxStartsPerStep, boolean settling) {
        int[] held = new int[requests.size()];
        var state = new SuiteState(freshPass(separation));
        SuiteState settled = null;
        int started = 0;
        while (!allHeld(requests, held)) {
            started = Math.min(requests.size(), started + random.nextInt(maxStartsPerStep));
            for (int r = 0; r < started; r++) {
                held[r] = Math.min(requests.get(r).size(), Math.max(1, held[r] + random.nextInt(16)));
            }
            if (started == requests.size() && random.nextInt(3) == 0) {
                System.arraycopy(requests.stream().mapToInt(List::size).toArray(), 0, held, 0, held.length);
            }
            List<List<TokenRouting>> now = heldNow(requests, held);
            Predicate<List<TokenRouting>> whole = tokens -> tokens.size() == requestOf(requests, id(tokens)).size();
            SuiteState from = settled != null && random.nextBoolean() ? settled : state;
            SuiteState.Extension extension = from == state && settling
                    ? state.extend(tokens -> random.nextInt(4) == 0 && whole.test(tokens),
                            tokens -> random.nextInt(4) > 0 && whole.test(tokens))
                    : from.extend(tokens -> random.nextInt(4) > 0 && whole.test(tokens));
            int after = from.lastCommittedRequest().map(id -> Integer.parseInt(id.substring(4)) + 1).orElse(0);
            now.stream().filter(request -> index(request) >= after).forEach(request -> request.forEach(extension));
            assertSameSuite(suite(extension.pass()), batch(now, separation));
            if (from == state && settling) {
                settled = extension.settled().orElse(null);
            }
        }
    }

    /** Field by field, every double and float to the last bit (AssertJ's default tolerates 1e-15). */
    private static void assertSameSuite(MetricSuite actual, MetricSuite expected) {
        assertThat(actual).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class)
                .withComparatorForType(Float::compare, Float.class).isEqualTo(expected);
    }

    private static boolean allHeld(List<List<TokenRouting>> requests, int[] held) {
        return IntStream.range(0, held.length).allMatch(r -> held[r] == requests.get(r).size());
    }

    private static List<List<TokenRouting>> heldNow(List<List<TokenRouting>> requests, int[] held) {
        var now = new ArrayList<List<TokenRouting>>();
        for (int r = 0; r < held.length; r++) {
            if (held[r] > 0) {
                now.add(requests.get(r).subList(0, held[r]));
            }
        }
        return now;
    }

    private static int index(List<TokenRouting> request) {
        return Integer.parseInt(request.get(0).requestId().substring(4));
    }

    private static List<TokenRouting> requestOf(List<List<TokenRouting>> requests, String id) {
        return requests.get(Integer.parseInt(id.substring(4)));
    }

    /** Requests req-0000.. in id order, each of random length with gaps in its indices, a prefill then decode. */
    private static List<List<TokenRouting>> requests(Random random, int count, int maxLength) {
        var requests = new ArrayList<List<TokenRouting>>();
        int t = 0;
        for (int r = 0; r < count; r++) {
            int length = 1 + random.nextInt(maxLength);
            int prefill = random.nextInt(length + 1);
            var tokens = new ArrayList<TokenRouting>();
            int index = 0;
            for (int i = 0; i < length; i++) {
                index += random.nextInt(10) == 0 ? 2 : 1;
                int[][] topK = {pair(random), pair(random)};
                tokens.add(new TokenRouting("r", "req-%04d".formatted(r), index, random.nextInt(12),
                        i < prefill ? Phase.PREFILL : Phase.DECODE, t++,
                        SuiteOfTokens.token(t, "x", index, Phase.DECODE, topK).decisions()));
            }
            tokens.sort(Comparator.comparingInt(TokenRouting::tokenIndex));
            requests.add(tokens);
        }
        return requests;
    }

    private static int[] pair(Random random) {
        int first = random.nextInt(EXPERTS);
        return new int[] {first, (first + 1 + random.nextInt(EXPERTS - 1)) % EXPERTS};
    }

    private static MetricSuite batch(List<List<TokenRouting>> requests, RequestSeparation separation) {
        SequencePass pass = freshPass(separation);
        requests.forEach(request -> request.forEach(pass));
        return suite(pass);
    }

    private static SequencePass freshPass(RequestSeparation separation) {
        return new SequencePass(EXPERTS, 0, SuiteOptions.defaults().warmupSettings(EXPERTS), true, separation);
    }

    private static MetricSuite suite(SequencePass pass) {
        pass.finish();
        return MetricSuite.of("r", "the whole run", EXPERTS, 2, pass.loads(), "raw decisions", pass,
                SuiteOptions.defaults().tau(), new RoutingJudge(List.of(), "r"));
    }
}
