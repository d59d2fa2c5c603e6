package io.moescope.app.runs;

import org.springframework.data.jpa.repository.JpaRepository;

interface RunOverviewRepository extends JpaRepository<RunOverview, String> {
}
