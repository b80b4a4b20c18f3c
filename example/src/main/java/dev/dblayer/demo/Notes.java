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

    /** Adds every note or none: an empty text fails the whole call after the others were persisted. */
    @Transactional
    public List<Note> addNotes(long userId, List<String> texts) {
        User owner = em.find(User.class, userId);
        if (owner == null) {
            throw new IllegalArgumentException("no user " + userId);
        }
        return texts.stream().map(text -> {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("a note needs a text; nothing was saved");
            }
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
