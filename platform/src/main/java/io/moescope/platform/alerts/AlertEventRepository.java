package io.moescope.platform.alerts;

import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface AlertEventRepository extends JpaRepository<AlertEventEntity, Long> {

    List<AlertEventEntity> findAllByOrderByAtDescIdDesc(Pageable page);

    /** The latest step of each alert (rule, subject), where that step left it PENDING or FIRING. */
    @Query(nativeQuery = true, value = "SELECT * FROM (SELECT DISTINCT ON (rule_id, subject) * FROM alert_event"
            + " ORDER BY rule_id, subject, at DESC, id DESC) latest WHERE to_state IN ('PENDING', 'FIRING')")
    List<AlertEventEntity> findLatestUnresolved();
}
