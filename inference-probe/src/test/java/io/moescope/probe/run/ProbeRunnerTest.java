package io.moescope.probe.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.probe.checkpoint.CheckpointException;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import io.moescope.probe.demo.DemoTokenizer;
import io.moescope.probe.model.ForwardResult;
import io.moescope.probe.model.MoeModel;
import io.moescope.probe.model.Sequence;
import io.moescope.traces.RecordingSink;
import io.moescope.traces.RoutingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeRunnerTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456Z");
    private static final long T0_MICROS = 1_767_323_045_123_456L;
    private static final List<Prompt> PROMPTS = List.of(new Prompt("req-1", "Hello"), new Prompt("req-2", "MoE!"));
    private static final int MAX_NEW = 5;

    @TempDir
    static Path demo;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeDemo() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, DemoProgress.NONE);
    }

    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

    @Test
    void theRunIsFramedByStartedAndFinishedWithTheTotalTokenCount() {
        var sink = new RecordingSink();
        ProbeResult result = run(sink, ProbeListener.NONE);

        assertThat(sink.events.get(0)).isInstanceOf(RunLifecycle.class);
        assertThat(sink.events.get(sink.events.size() - 1)).isInstanceOf(RunLifecycle.class);
        RunLifecycle started = sink.runs.get(0);
        RunLifecycle finished = sink.runs.get(1);
        assertThat(sink.runs).hasSize(2);
        assertThat(started.status()).isEqualTo(RunStatus.STARTED);
        assertThat(started.tokens()).isZero();
        assertThat(started.source()).isEqualTo("probe");
        assertThat(started.runName()).isEqualTo("demo run");
        assertThat(started.runId()).isEqualTo(result.runId());
        assertThat(finished.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(finished.tokens()).isEqualTo(result.tokens()).isEqualTo(sink.tokens.size());
        assertThat(started.model()).isEqualTo(finished.model()).isEqualTo(result.model());
        assertThat(sink.closed()).as("the runner leaves closing to the sink's owner").isFalse();
    }

    @Test
    void prefillTokensCarryThePromptIdsAtIndexesFromZero() {
        var sink = new RecordingSink();
        run(sink, ProbeListener.NONE);
        List<TokenRouting> prefill = tokensOf(sink, "req-1").stream().filter(t -> t.phase() == Phase.PREFILL).toList();
        assertThat(prefill).extracting(TokenRouting::tokenIndex).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(prefill).extracting(TokenRouting::tokenId).containsExactly(DemoTokenizer.BOS_ID,
                3 + 'H', 3 + 'e', 3 + 'l', 3 + 'l', 3 + 'o');
    }

    @Test
    void decodeTokensContinueTheIndexAndCarryTheGreedyTokensFedBack() {
        var sink = new RecordingSink();
        run(sink, ProbeListener.NONE);
        int[] prompt = {DemoTokenizer.BOS_ID, 3 + 'H', 3 + 'e', 3 + 'l', 3 + 'l', 3 + 'o'};
        List<Integer> greedy = greedy(prompt, MAX_NEW);
        List<TokenRouting> decode = tokensOf(sink, "req-1").stream().filter(t -> t.phase() == Phase.DECODE).toList();
        assertThat(decode).extracting(TokenRouting::tokenIndex).containsExactly(6, 7, 8, 9, 10);
        assertThat(decode).extracting(TokenRouting::tokenId).containsExactlyElementsOf(greedy);
    }

    @Test
    void everyTokenHasOneTopTwoDecisionPerLayerInLayerOrder() {
        var sink = new RecordingSink();
        ProbeResult result = run(sink, ProbeListener.NONE);
        for (TokenRouting token : sink.tokens) {
            assertThat(token.decisions()).extracting(RouterDecision::layer).containsExactly(0, 1, 2, 3);
            for (RouterDecision d : token.decisions()) {
                assertThat(d.expertIds()).hasSize(2).doesNotHaveDuplicates();
                assertThat(d.expertIds()[0]).isBetween(0, 7);
                assertThat(d.expertIds()[1]).isBetween(0, 7);
                assertThat(d.weights()[0] + d.weights()[1]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
                assertThat(d.weights()[0]).isGreaterThanOrEqualTo(d.weights()[1]);
                assertThat(d.routerEntropy()).isBetween(0f, (float) Math.log(8));
            }
        }
        assertThat(result.decisions()).isEqualTo(sink.tokens.size() * 4L);
    }

    @Test
    void countsAndTimestampsComeFromTheRunAndTheInjectedClock() {
        var sink = new RecordingSink();
        ProbeResult result = run(sink, ProbeListener.NONE);
        assertThat(result.promptTokens()).isEqualTo(6 + 5);
        assertThat(result.generatedTokens()).isEqualTo(2 * MAX_NEW);
        assertThat(result.elapsed()).isEqualTo(Duration.ZERO);
        assertThat(sink.tokens).allMatch(t -> t.timestampMicros() == T0_MICROS);
        assertThat(sink.runs).allMatch(r -> r.timestampMicros() == T0_MICROS);
        assertThat(sink.tokens).allMatch(t -> t.runId().equals(result.runId()));
    }

    @Test
    void theListenerHearsTheModelEveryTokenAndEachRequestsEnd() {
        var heard = new ArrayList<String>();
        var completions = new HashMap<String, String>();
        var listener = new ProbeListener() {
            @Override
            public void modelLoaded(io.moescope.events.ModelIdentity model) {
                heard.add("model " + model.numExperts() + "x top-" + model.topK());
            }

            @Override
            public void tokenRouted(TokenRouting token) {
                heard.add("token");
            }

            @Override
            public void requestFinished(String requestId, int promptTokens, int generatedTokens) {
                heard.add(requestId + " " + promptTokens + "+" + generatedTokens);
            }

            @Override
            public void completion(String requestId, String generatedText) {
                completions.put(requestId, generatedText);
            }
        };
        var sink = new RecordingSink();
        run(sink, listener);
        assertThat(heard.get(0)).isEqualTo("model 8x top-2");
        assertThat(heard).filteredOn("token"::equals).hasSize(sink.tokens.size());
        assertThat(heard).filteredOn(s -> s.startsWith("req-")).containsExactly("req-1 6+5", "req-2 5+5");
        assertThat(completions).containsOnlyKeys("req-1", "req-2");
    }

    @Test
    void maxNewTokensZeroRoutesOnlyThePrompt() {
        var sink = new RecordingSink();
        ProbeResult result = new ProbeRunner(clock).run(new ProbeRequest(demo, PROMPTS, 0, "prefill"), sink,
                ProbeListener.NONE);
        assertThat(result.generatedTokens()).isZero();
        assertThat(sink.tokens).allMatch(t -> t.phase() == Phase.PREFILL).hasSize(11);
    }

    @Test
    void aBrokenCheckpointFailsBeforeAnyEvent() throws Exception {
        Files.copy(demo.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(demo.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.write(dir.resolve("model.safetensors"), new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        var sink = new RecordingSink();
        assertThatThrownBy(() -> new ProbeRunner(clock).run(new ProbeRequest(dir, PROMPTS, 3, "broken"), sink,
                ProbeListener.NONE)).isInstanceOf(CheckpointException.class);
        assertThat(sink.events).isEmpty();
    }

    @Test
    void aMissingTokenizerFailsBeforeAnyEventAndNamesTheFile() throws Exception {
        Files.copy(demo.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(demo.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        var sink = new RecordingSink();
        assertThatThrownBy(() -> new ProbeRunner(clock).run(new ProbeRequest(dir, PROMPTS, 3, "no tokenizer"), sink,
                ProbeListener.NONE)).isInstanceOf(CheckpointException.class)
                .hasMessage("tokenizer.json is missing: expected " + dir.resolve("tokenizer.json"));
        assertThat(sink.events).isEmpty();
    }

    @Test
    void aPromptLongerThanTheContextFailsBeforeAnyEvent() {
        var sink = new RecordingSink();
        var request = new ProbeRequest(demo, List.of(new Prompt("long", "x".repeat(4096))), 1, "too long");
        assertThatThrownBy(() -> new ProbeRunner(clock).run(request, sink, ProbeListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("request long has 4097 tokens, more than the model's max_position_embeddings 4096");
        assertThat(sink.events).isEmpty();
    }

    @Test
    void aFailureMidRunSendsFailedWithTheTokensSoFarAndPropagates() {
        var sink = new RecordingSink() {
            @Override
            public void token(TokenRouting token) {
                if (tokens.size() == 7) {
                    throw new IllegalStateException("disk full");
                }
                super.token(token);
            }
        };
        assertThatThrownBy(() -> run(sink, ProbeListener.NONE)).hasMessage("disk full");
        assertThat(sink.runs).extracting(RunLifecycle::status).containsExactly(RunStatus.STARTED, RunStatus.FAILED);
        assertThat(sink.runs.get(1).tokens()).isEqualTo(7);
    }

    private ProbeResult run(RoutingSink sink, ProbeListener listener) {
        return new ProbeRunner(clock).run(new ProbeRequest(demo, PROMPTS, MAX_NEW, "demo run"), sink, listener);
    }

    private static List<TokenRouting> tokensOf(RecordingSink sink, String requestId) {
        return sink.tokens.stream().filter(t -> t.requestId().equals(requestId)).toList();
    }

    /** The greedy continuation, computed straight from the model, to compare with the runner's decode tokens. */
    private static List<Integer> greedy(int[] prompt, int steps) {
        var out = new ArrayList<Integer>();
        try (var checkpoint = MoeCheckpoint.open(demo); var model = MoeModel.load(checkpoint);
             Sequence sequence = model.newSequence()) {
            ForwardResult result = sequence.forward(prompt);
            for (int i = 0; i < steps; i++) {
                out.add(result.argmax());
                result = sequence.forward(new int[] {result.argmax()});
            }
        }
        return out;
    }
}
