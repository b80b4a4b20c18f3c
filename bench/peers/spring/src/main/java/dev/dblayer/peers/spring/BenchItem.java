package dev.dblayer.peers.spring;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The bench's row, the same table as dblayer's bench (bench/app): ids 1..1000. */
@Entity
@Table(name = "bench_item")
public class BenchItem {

    @Id
    @Column(name = "id")
    private Long id;

    @Column(name = "name", length = 100, nullable = false)
    private String name;

    @Column(name = "counter", nullable = false)
    private long counter;

    protected BenchItem() {
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public long getCounter() {
        return counter;
    }

    public void setCounter(long counter) {
        this.counter = counter;
    }
}
