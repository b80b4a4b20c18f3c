package dev.dblayer.demo;

import dev.dblayer.db.PrimaryKeys;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user: a Long id that follows database.pk-mode (BIGINT on both databases) and a unique name. */
@Entity
@Table(name = "demo_user")
public class User {

    /** The longest username the column holds. */
    public static final int USERNAME_LENGTH = 64;

    @Id
    // a BIGINT identity by default; snowflake ids with DATABASE_PK_MODE=snowflake
    @GeneratedValue(generator = PrimaryKeys.GENERATOR)
    private Long id;

    @Column(nullable = false, unique = true, length = USERNAME_LENGTH)
    private String username;

    protected User() {
    }

    public User(String username) {
        this.username = username;
    }

    public Long getId() {
        return id;
    }

    public String getUsername() {
        return username;
    }
}
