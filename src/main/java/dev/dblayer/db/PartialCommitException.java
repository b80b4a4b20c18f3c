package dev.dblayer.db;

import java.util.List;

import jakarta.persistence.PersistenceException;

/**
 * A transaction that wrote to several databases committed on some of them only: there is no
 * two-phase commit, so when the commit on one database fails after the commit on an earlier one
 * succeeded, the earlier stays committed and the later ones are rolled back. The cause is the
 * failed commit's exception. An application that writes to two databases in one transaction
 * catches this to repair or retry the part that did not commit (docs/databases.md); it is never
 * answered with 503, since retrying the whole request would repeat what committed.
 *
 * <p>Databases are named as in {@code database.sources}; the main database is {@code main}.
 */
public class PartialCommitException extends PersistenceException {

    private static final long serialVersionUID = 1L;

    private final List<String> committed;
    private final String failed;
    private final List<String> rolledBack;

    PartialCommitException(List<String> committed, String failed, List<String> rolledBack, Throwable cause) {
        super("The transaction committed on " + committed + " but its commit on " + failed + " failed"
                + (rolledBack.isEmpty() ? "" : " and it was rolled back on " + rolledBack)
                + "; there is no two-phase commit, so what " + committed + " committed stays", cause);
        this.committed = List.copyOf(committed);
        this.failed = failed;
        this.rolledBack = List.copyOf(rolledBack);
    }

    /** The databases where the transaction committed, in commit order. */
    public List<String> committed() {
        return committed;
    }

    /** The database whose commit failed; nothing of the transaction is there. */
    public String failed() {
        return failed;
    }

    /** The databases after it, rolled back without a commit attempt. */
    public List<String> rolledBack() {
        return rolledBack;
    }
}
