package io.moescope.app;

import io.moescope.ingest.consumer.IngestConfiguration;
import io.moescope.ingest.expertcache.ExpertCacheIngestConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** The platform in one process: ingest, analytics, dashboard and JSON API (and, by default, embedded servers). */
@SpringBootApplication(scanBasePackages = {"io.moescope.app", "io.moescope.api", "io.moescope.ui"})
@Import({IngestConfiguration.class, ExpertCacheIngestConfiguration.class})
public class MoescopeApplication {
}
