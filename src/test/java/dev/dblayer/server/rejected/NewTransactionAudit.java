package dev.dblayer.server.rejected;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/** A bean dblayer must refuse at deployment: REQUIRES_NEW needs a second unit of work. */
@ApplicationScoped
public class NewTransactionAudit {

    @Transactional(TxType.REQUIRES_NEW)
    public void record(String event) {
        // never deployed
    }
}
