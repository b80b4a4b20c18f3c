package dev.dblayer.demo;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Users and their notes: reads without a transaction, writes with one. */
@ApplicationScoped
public class Notes {

    @Inject
    EntityManager em;

    @Transactional
    public User createUser(String username) {
        User user = new User(username);
        em.persist(user);
        return user;
    }

    public User user(long id) {
        return em.find(User.class, id);
    }

    public User userNamed(String username) {
        return em.createQuery("SELECT u FROM User u WHERE u.username = :name", User.class)
                .setParameter("name", username)
                .getResultStream().findFirst().orElse(null);
    }

    /**
     * Adds the notes of {@code owner} in one transaction: every note or none. The texts were
     * validated at the API ({@link DemoApi.NewNotes}); a write the database still refuses rolls back
     * the notes persisted before it.
     */
    @Transactional
    public List<Note> addNotes(User owner, List<String> texts) {
        return texts.stream().map(text -> {
            Note note = new Note(owner, text);
            em.persist(note);
            return note;
        }).toList();
    }

    public List<Note> notesOf(long userId) {
        return em.createQuery("SELECT n FROM Note n WHERE n.owner.id = :id ORDER BY n.text", Note.class)
                .setParameter("id", userId)
                .getResultList();
    }
}
