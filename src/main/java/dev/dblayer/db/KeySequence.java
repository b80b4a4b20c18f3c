package dev.dblayer.db;

import java.util.Vector;

import org.eclipse.persistence.internal.databaseaccess.Accessor;
import org.eclipse.persistence.internal.sessions.AbstractSession;
import org.eclipse.persistence.sequencing.Sequence;

/**
 * {@link PrimaryKeys#GENERATOR} in snowflake mode: an EclipseLink sequence that asks the
 * {@link PrimaryKeyGenerator} for each id before the insert, with no round trip to the database and
 * no preallocation (a preallocated block would outlive the node lease it was made under).
 */
final class KeySequence extends Sequence {

    private static final long serialVersionUID = 1L;

    private final transient PrimaryKeyGenerator generator;

    KeySequence(PrimaryKeyGenerator generator) {
        super(PrimaryKeys.GENERATOR);
        this.generator = generator;
    }

    @Override
    public Object getGeneratedValue(Accessor accessor, AbstractSession writeSession, String seqName) {
        return generator.next();
    }

    @Override
    public Vector<?> getGeneratedVector(Accessor accessor, AbstractSession writeSession, String seqName, int size) {
        return null;
    }

    @Override
    public boolean shouldAcquireValueAfterInsert() {
        return false;
    }

    @Override
    public boolean shouldUsePreallocation() {
        return false;
    }

    @Override
    public boolean shouldUseTransaction() {
        return false;
    }

    @Override
    public void onConnect() {
    }

    @Override
    public void onDisconnect() {
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeySequence sequence && sequence.generator == generator;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(generator);
    }
}
