package dev.dblayer.demo;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * One increment of a named counter, with the id the client chose: a counter's value is the number
 * of its rows, and a request that ran twice would collide on the id instead of counting twice.
 */
@Entity
@Table(name = "demo_increment", indexes = @Index(name = "demo_increment_counter", columnList = "counter"))
public class Increment {

    /** The longest id and counter name the columns hold. */
    public static final int LENGTH = 64;

    @Id
    @Column(length = LENGTH)
    private String id;

    @Column(nullable = false, length = LENGTH)
    private String counter;

    protected Increment() {
    }

    public Increment(String counter, String id) {
        this.counter = counter;
        this.id = id;
    }

    public String getId() {
        return id;
    }

    public String getCounter() {
        return counter;
    }
}
