package io.moescope.platform.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Bad input reaches the metric core as IllegalArgumentException with a message naming the field or the reason
 * (an EPLB shape that does not divide, tau out of range): the client gets 400 with that message, not a 500.
 */
@RestControllerAdvice(basePackages = "io.moescope.platform.api")
class ApiErrors {

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
