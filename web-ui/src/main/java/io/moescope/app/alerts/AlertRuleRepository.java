package io.moescope.app.alerts;

import org.springframework.data.jpa.repository.JpaRepository;

interface AlertRuleRepository extends JpaRepository<AlertRuleEntity, Long> {
}
