package dev.dblayer.peers.quarkus;

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
    public Long id;

    @Column(name = "name", length = 100, nullable = false)
    public String name;

    @Column(name = "counter", nullable = false)
    public long counter;
}
