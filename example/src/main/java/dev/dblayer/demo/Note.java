package dev.dblayer.demo;

import dev.dblayer.db.Uuids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A note owned by a user, with a UUID string id (the original's uuid4_str). */
@Entity
@Table(name = "demo_note")
public class Note {

    /** The longest text the column holds. */
    public static final int TEXT_LENGTH = 200;

    @Id
    @Column(length = Uuids.LENGTH)
    private String id = Uuids.uuid4();

    @ManyToOne(optional = false)
    private User owner;

    @Column(nullable = false, length = TEXT_LENGTH)
    private String text;

    protected Note() {
    }

    public Note(User owner, String text) {
        this.owner = owner;
        this.text = text;
    }

    public String getId() {
        return id;
    }

    public Long getOwnerId() {
        return owner.getId();
    }

    public String getText() {
        return text;
    }
}
