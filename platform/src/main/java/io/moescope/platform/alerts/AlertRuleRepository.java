package io.moescope.platform.alerts;

import org.springframework.data.jpa.repository.JpaRepository;

interface AlertRuleRepository extends JpaRepository<AlertRuleEntity, Long> {
}
