package io.moescope.platform.api;

import io.moescope.analytics.alerting.AlertTransition;
import io.moescope.platform.alerts.AlertRuleRequest;
import io.moescope.platform.alerts.AlertRuleService;
import io.moescope.platform.alerts.AlertRuleView;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Alert rules, editable at run time, and the alert lifecycle history. */
@RestController
@RequestMapping("/api/alerts")
class AlertsController {

    private final AlertRuleService rules;

    AlertsController(AlertRuleService rules) {
        this.rules = rules;
    }

    @GetMapping("/rules")
    List<AlertRuleView> rules() {
        return rules.rules().stream().map(AlertRuleView::of).toList();
    }

    @PostMapping("/rules")
    @ResponseStatus(HttpStatus.CREATED)
    AlertRuleView create(@RequestBody AlertRuleRequest request) {
        return AlertRuleView.of(rules.create(request));
    }

    @PutMapping("/rules/{id}")
    AlertRuleView update(@PathVariable long id, @RequestBody AlertRuleRequest request) {
        return rules.update(id, request).map(AlertRuleView::of).orElseThrow(() -> noRule(id));
    }

    @DeleteMapping("/rules/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable long id) {
        if (!rules.delete(id)) {
            throw noRule(id);
        }
    }

    /** Pending, firing and resolved steps, newest first. */
    @GetMapping("/events")
    List<AlertTransition> events(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be in [1, 1000] but was " + limit);
        }
        return rules.history(limit);
    }

    private static ResponseStatusException noRule(long id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no alert rule with id " + id);
    }
}
