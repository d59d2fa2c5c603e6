package io.moescope.platform.api;

import io.moescope.platform.replay.ReplayService;
import io.moescope.platform.replay.ReplayStatus;
import io.moescope.platform.tokens.AggregateOnlyRunException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Replays of stored runs: start one, watch it, cancel it. */
@RestController
@RequestMapping("/api/replays")
class ReplaysController {

    private final ReplayService replays;

    ReplaysController(ReplayService replays) {
        this.replays = replays;
    }

    /** Starts re-streaming run {@code runId} through Kafka as a new run; 202 with the replay's status. */
    @PostMapping
    ResponseEntity<ReplayStatus> start(@RequestParam String runId, @RequestParam(defaultValue = "1") double speed) {
        try {
            return replays.start(runId, speed).map(s -> ResponseEntity.status(HttpStatus.ACCEPTED).body(s))
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                            "no run with id '" + runId + "'"));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (AggregateOnlyRunException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
    }

    @GetMapping("/{replayId}")
    ReplayStatus status(@PathVariable String replayId) {
        return replays.status(replayId).orElseThrow(() -> unknown(replayId));
    }

    /** Cancels the replay before its next token. */
    @DeleteMapping("/{replayId}")
    ReplayStatus cancel(@PathVariable String replayId) {
        return replays.cancel(replayId).orElseThrow(() -> unknown(replayId));
    }

    private static ResponseStatusException unknown(String replayId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no replay with id '" + replayId + "'");
    }
}
