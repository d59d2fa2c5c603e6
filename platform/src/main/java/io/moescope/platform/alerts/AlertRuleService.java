package io.moescope.platform.alerts;

import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertTransition;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Alert rules in PostgreSQL, editable at run time; every change is announced so the evaluator reloads. */
@Service
@Transactional
public class AlertRuleService implements AlertRules {

    /** Published after a rule was created, changed or deleted. */
    public record RulesChanged(long ruleId) {
    }

    private final AlertRuleRepository rules;
    private final AlertEventRepository events;
    private final ApplicationEventPublisher publisher;

    AlertRuleService(AlertRuleRepository rules, AlertEventRepository events, ApplicationEventPublisher publisher) {
        this.rules = rules;
        this.events = events;
        this.publisher = publisher;
    }

    @Override
    @Transactional(readOnly = true)
    public List<AlertRule> rules() {
        return rules.findAll().stream().map(AlertRuleEntity::toRule)
                .sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
    }

    public AlertRule create(AlertRuleRequest request) {
        AlertRule rule = request.toRule(0);
        AlertRule stored = rules.save(new AlertRuleEntity(rule)).toRule();
        publisher.publishEvent(new RulesChanged(stored.id()));
        return stored;
    }

    /** @return empty when there is no such rule */
    public Optional<AlertRule> update(long id, AlertRuleRequest request) {
        AlertRule rule = request.toRule(id);
        return rules.findById(id).map(entity -> {
            entity.update(rule);
            publisher.publishEvent(new RulesChanged(id));
            return entity.toRule();
        });
    }

    public boolean delete(long id) {
        if (!rules.existsById(id)) {
            return false;
        }
        rules.deleteById(id);
        publisher.publishEvent(new RulesChanged(id));
        return true;
    }

    public void record(List<AlertTransition> transitions) {
        events.saveAll(transitions.stream().map(AlertEventEntity::new).toList());
    }

    /** The latest step of every alert that it left PENDING or FIRING: what was live when history was written. */
    @Transactional(readOnly = true)
    public List<AlertTransition> unresolved() {
        return events.findLatestUnresolved().stream().map(AlertEventEntity::toTransition).toList();
    }

    /** Lifecycle history, newest first. */
    @Transactional(readOnly = true)
    public List<AlertTransition> history(int limit) {
        return events.findAllByOrderByAtDescIdDesc(PageRequest.of(0, limit)).stream()
                .map(AlertEventEntity::toTransition).toList();
    }
}
