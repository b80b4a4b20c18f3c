package dev.dblayer.server.sources;

import dev.dblayer.db.Source;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Injects a source that {@code database.sources} does not configure: the WAR that has it must not deploy. */
@ApplicationScoped
public class NoSuchSource {

    @Inject
    @Source("nosuch")
    EntityManager nosuch;
}
