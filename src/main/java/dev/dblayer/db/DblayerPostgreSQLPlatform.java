package dev.dblayer.db;

import java.io.IOException;
import java.io.Writer;

import org.eclipse.persistence.exceptions.ValidationException;
import org.eclipse.persistence.platform.database.PostgreSQLPlatform;

/**
 * EclipseLink's PostgreSQL platform with 64-bit identity columns.
 *
 * <p>EclipseLink writes every identity column as {@code SERIAL}, a 32-bit integer, even for a
 * {@code Long} id, which then overflows where MySQL's {@code BIGINT AUTO_INCREMENT} does not.
 * This platform writes {@code BIGSERIAL} instead, so a {@code Long} id is a {@code BIGINT} on both
 * databases (an {@code Integer} identity id gets a {@code BIGINT} column too, which it reads
 * unchanged). Only the identity clause is replaced: EclipseLink prints no type of its own for an
 * identity column on PostgreSQL, in 4.0.7 (Payara 6) and 4.0.9 (Open Liberty 26) alike, and reads
 * the generated value with {@code lastval()}, which works for {@code BIGSERIAL}.
 *
 * <p>Public only because EclipseLink instantiates it by name; not for application code.
 */
public class DblayerPostgreSQLPlatform extends PostgreSQLPlatform {

    private static final long serialVersionUID = 1L;

    @Override
    public void printFieldIdentityClause(Writer writer) throws ValidationException {
        try {
            writer.write(" BIGSERIAL");
        } catch (IOException e) {
            throw ValidationException.fileError(e);
        }
    }
}
