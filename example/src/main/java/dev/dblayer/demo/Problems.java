package dev.dblayer.demo;

import java.io.IOException;
import java.io.PushbackInputStream;
import java.util.stream.Collectors;

import jakarta.json.bind.JsonbException;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.persistence.RollbackException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * The demo's error answers, as RFC 9457 problem details ({@code application/problem+json}), the way
 * dblayer's own 503 answers:
 *
 * <pre>{"type":"about:blank","title":"Bad Request","status":400,"detail":"username: must not be blank"}</pre>
 *
 * <p>Only what the client got wrong answers 4xx: a body that is not JSON, a constraint of the
 * request (Bean Validation), a path that names nothing. A failure of the server or the database is
 * not mapped here and stays a 5xx (dblayer's {@code PoolTimeoutMapper} answers 503 for a pool
 * timeout), except a commit the database refused, which answers 409.
 */
public final class Problems {

    /** The media type of every answer built here. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    /** An RFC 9457 problem; {@code type} is always {@code about:blank}: the status says it all. */
    @JsonbPropertyOrder({"type", "title", "status", "detail"})
    public record Problem(String type, String title, int status, String detail) {
    }

    /** The problem of {@code status}, saying {@code detail}. */
    static Problem problem(Response.StatusType status, String detail) {
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail);
    }

    /** The answer {@code status} with a problem body saying {@code detail}. */
    static Response answer(Response.StatusType status, String detail) {
        return Response.status(status).type(MEDIA_TYPE).entity(problem(status, detail)).build();
    }

    /**
     * A request that breaks a Bean Validation constraint of a resource method's parameters: 400,
     * naming each field and what is wrong with it, as in {@code "texts[1]: must not be blank"}. A
     * constraint on a return value is the server's own mistake, so it stays a 500, as Jakarta REST
     * says. Open Liberty needs the {@code beanValidation-3.0} feature: without it the constraints
     * are not checked, and this class cannot load, so the REST application fails to initialise.
     */
    @Provider
    public static class InvalidInput implements ExceptionMapper<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException e) {
            if (e.getConstraintViolations().stream().anyMatch(InvalidInput::onReturnValue)) {
                return Response.serverError().build();
            }
            String detail = e.getConstraintViolations().stream()
                    .map(violation -> field(violation) + ": " + violation.getMessage())
                    .sorted().collect(Collectors.joining("; "));
            return answer(Response.Status.BAD_REQUEST, detail);
        }

        private static boolean onReturnValue(ConstraintViolation<?> violation) {
            for (Path.Node node : violation.getPropertyPath()) {
                if (node.getKind() == ElementKind.RETURN_VALUE) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The field as the JSON names it ({@code username}, {@code texts[1]}), or {@code body} for
         * the body itself: the method and parameter names in the path mean nothing to a client.
         */
        private static String field(ConstraintViolation<?> violation) {
            StringBuilder field = new StringBuilder();
            for (Path.Node node : violation.getPropertyPath()) {
                if (node.isInIterable() && node.getIndex() != null) {
                    field.append('[').append(node.getIndex()).append(']');
                }
                if (node.getKind() == ElementKind.PROPERTY) {
                    field.append(field.isEmpty() ? "" : ".").append(node.getName());
                }
            }
            return field.isEmpty() ? "body" : field.toString();
        }
    }

    /**
     * A request body that is missing, not JSON, or not JSON of the expected shape: 400 with the
     * parser's reason. Done while reading the body, not by mapping {@code JsonbException} itself,
     * because a response that cannot be written as JSON is the server's fault and must stay a 500.
     * Open Liberty's reader throws JSON-B's {@code JsonbException}; Payara's (Jersey) wraps it in a
     * {@code ProcessingException}. An empty body is caught first, as the parsers' "EOF" says little
     * (every body this API reads is required).
     */
    @Provider
    public static class UnreadableBody implements ReaderInterceptor {
        @Override
        public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
            PushbackInputStream body = new PushbackInputStream(context.getInputStream());
            int first = body.read();
            if (first == -1) {
                throw new BadRequestException("The request has no body; it takes a JSON object.");
            }
            body.unread(first);
            context.setInputStream(body);
            try {
                return context.proceed();
            } catch (JsonbException | ProcessingException e) {
                throw new BadRequestException("The body is not the JSON this request takes: " + reason(e), e);
            }
        }

        /** The innermost message: the parser's, with the line and column. */
        private static String reason(Throwable e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            return cause.getMessage();
        }
    }

    /**
     * Every other client error Jakarta REST raises, from the resources or by itself: a path that
     * names nothing or whose id is not a number (404, as Jakarta REST answers a {@code @PathParam}
     * that does not convert), a wrong method (405) or media type (415), a body it cannot read
     * (400). The status and headers stay; the body becomes a problem. An exception that carries
     * a body of its own, or a 5xx, is answered as it is.
     */
    @Provider
    public static class ClientError implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response response = e.getResponse();
            if (response.hasEntity() || response.getStatusInfo().getFamily() != Response.Status.Family.CLIENT_ERROR) {
                return response;
            }
            return Response.fromResponse(response).type(MEDIA_TYPE)
                    .entity(problem(response.getStatusInfo(), e.getMessage())).build();
        }
    }

    /**
     * A commit the database refused (a duplicate name): 409, after the rollback. Mapping only
     * RollbackException leaves a pool timeout to dblayer's PoolTimeoutMapper (503) and any other
     * database failure a 500.
     */
    @Provider
    public static class Conflict implements ExceptionMapper<RollbackException> {
        @Override
        public Response toResponse(RollbackException e) {
            return answer(Response.Status.CONFLICT, "The database refused the write; nothing was saved.");
        }
    }
}
