package io.moescope.app.alerts;

import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface AlertEventRepository extends JpaRepository<AlertEventEntity, Long> {

    List<AlertEventEntity> findAllByOrderByAtDescIdDesc(Pageable page);
}
