package io.moescope.platform;

import io.moescope.ingest.consumer.IngestConfiguration;
import io.moescope.ingest.counts.ExpertCountsIngestConfiguration;
import io.moescope.ingest.expertcache.ExpertCacheIngestConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The platform in one process: ingest, analytics and JSON API (and, by default, embedded servers). Components are
 * found under this package; the dashboard, where its module is on the classpath, joins as an auto-configuration
 * (io.moescope.dashboard.DashboardConfiguration).
 */
@SpringBootApplication
@Import({IngestConfiguration.class, ExpertCacheIngestConfiguration.class, ExpertCountsIngestConfiguration.class})
public class MoescopeApplication {
}
