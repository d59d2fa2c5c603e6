package io.moescope.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.ProducerCompression;
import io.moescope.traces.delivery.RunDelivery;
import io.moescope.traces.delivery.RunOutcome;
import io.moescope.traces.importer.ImportOptions;
import io.moescope.traces.importer.ImportReport;
import io.moescope.traces.importer.ModelHints;
import io.moescope.traces.importer.TraceImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The run page of an aggregate-only run (a llama.cpp moe-trace imported through Kafka, as {@code moescope import}
 * does): its load figures are there, and its token view says why it has no token instead of "yet".
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class AggregateOnlyRunBrowserTest extends BrowserTest {

    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;
    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void theTokenViewOfAnAggregateOnlyRunSaysItHoldsCountsOfStepsAndNoToken() throws Exception {
        // two forward passes of a top-2 model with MoE layers 0 and 1, one token each
        Path trace = Files.write(Files.createTempDirectory("moescope-llama").resolve("moe_trace.csv"),
                List.of("layer,expert", "0,1", "0,2", "1,0", "1,3", "0,1", "0,3", "1,2", "1,3"));
        var delivery = new RunDelivery(bootstrapServers, ProducerCompression.EXTERNAL_BROKER,
                DeliveryOptions.defaults(), Clock.systemUTC(), RunDelivery.IMPORT);
        RunOutcome<ImportReport> outcome = delivery.deliver(sink -> new TraceImport(Clock.systemUTC()).importFile(
                trace, ImportOptions.defaults().withHints(new ModelHints(null, null, null, null, 2, null)), sink,
                rows -> { }));
        String runId = ((RunOutcome.Delivered<ImportReport>) outcome).result().runId();
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM expert_count_step WHERE run_id = ?", Long.class, runId) == 2);

        browser.open("/runs/" + runId);
        var run = new RunPage(browser).waitForHeatmap(Duration.ofSeconds(60)).analyseRunWithoutTokens(
                Duration.ofSeconds(60));

        assertThat(run.tokenViewText()).contains("This run is aggregate-only: its source counted the experts chosen"
                + " in each of its 2 steps without recording tokens, so there is no token to show");
    }
}
