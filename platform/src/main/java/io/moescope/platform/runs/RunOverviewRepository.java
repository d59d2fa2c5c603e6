package io.moescope.platform.runs;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

interface RunOverviewRepository extends JpaRepository<RunOverview, String>, JpaSpecificationExecutor<RunOverview> {
}
