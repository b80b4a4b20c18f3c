package dev.dblayer.bench.jmh;

import dev.dblayer.db.PrimaryKeys;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The row {@link KeyInserts} inserts: an id that follows {@code database.pk-mode}, a name, a number. */
@Entity
@Table(name = "bench_key_row")
public class KeyRow {

    @Id
    @GeneratedValue(generator = PrimaryKeys.GENERATOR)
    private Long id;

    @Column(name = "name", length = 100, nullable = false)
    private String name;

    @Column(name = "counter", nullable = false)
    private long counter;

    protected KeyRow() {
    }

    KeyRow(String name, long counter) {
        this.name = name;
        this.counter = counter;
    }

    Long getId() {
        return id;
    }
}
