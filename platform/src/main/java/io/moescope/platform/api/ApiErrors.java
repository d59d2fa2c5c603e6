package io.moescope.platform.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.time.temporal.Temporal;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.NonNull;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every refusal of the JSON API is problem JSON (RFC 9457) whose {@code detail} names the parameter and its bound.
 * Spring MVC's own exceptions (a missing parameter, a value of the wrong type, an unsupported method) go through
 * {@link ResponseEntityExceptionHandler}, which answers problem JSON; the details it writes by default ("Failed to
 * convert 'tau' with value: 'abc'") are replaced by ones a user can act on. Bad input reaches the metric core as
 * IllegalArgumentException with a message naming the field or the reason: 400 with that message.
 */
@RestControllerAdvice(basePackages = "io.moescope.platform.api")
class ApiErrors extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /** A failure nobody foresaw is still problem JSON; the stack trace goes to the log, not to the client. */
    @ExceptionHandler(RuntimeException.class)
    ProblemDetail unexpected(RuntimeException e) {
        log.error("API request failed", e);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the server failed to answer (" + e.getClass().getSimpleName() + "); see its log");
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            @NonNull MissingServletRequestParameterException e, @NonNull HttpHeaders headers,
            @NonNull HttpStatusCode status, @NonNull WebRequest request) {
        return problem(status, "required parameter '" + e.getParameterName() + "' is missing");
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(@NonNull TypeMismatchException e, @NonNull HttpHeaders headers,
                                                        @NonNull HttpStatusCode status, @NonNull WebRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
        // An Optional<Integer> parameter's required type is Optional: say what it holds.
        Class<?> type = e instanceof MethodArgumentTypeMismatchException m
                ? m.getParameter().nestedIfOptional().getNestedParameterType() : e.getRequiredType();
        return problem(HttpStatus.BAD_REQUEST, "parameter '" + name + "' must be " + expected(type)
                + ", not '" + e.getValue() + "'");
    }

    /**
     * A JSON body that is not JSON, has a field the body does not know (the fields it does) or a field of the wrong
     * type (what it must be).
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            @NonNull HttpMessageNotReadableException e, @NonNull HttpHeaders headers,
            @NonNull HttpStatusCode status, @NonNull WebRequest request) {
        return problem(HttpStatus.BAD_REQUEST, unreadableBody(e.getCause()));
    }

    private static String unreadableBody(Throwable cause) {
        if (cause == null) {
            return "the request body is missing: send a JSON object";
        }
        if (cause instanceof JsonParseException parse) {
            return "the request body must be a JSON object: " + parse.getOriginalMessage() + " at line "
                    + parse.getLocation().getLineNr() + ", column " + parse.getLocation().getColumnNr();
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return fieldPath(unknown) + ": not a field of this body; its fields are " + unknown.getKnownPropertyIds()
                    .stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
        }
        if (cause instanceof MismatchedInputException field && !field.getPath().isEmpty()) {
            return fieldPath(field) + ": must be " + expected(field.getTargetType())
                    + (field instanceof InvalidFormatException format ? ", not '" + format.getValue() + "'" : "");
        }
        return "the request body must be a JSON object";
    }

    private static String fieldPath(MismatchedInputException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 instant such as 2026-01-01T00:00:00Z";
        }
        return "a " + type.getSimpleName();
    }

    private static ResponseEntity<Object> problem(HttpStatusCode status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
