package dev.dblayer.peers.quarkus;

/** What the read and the write answer, as dblayer's bench does. */
public record Item(long id, String name, long counter) {

    static Item of(BenchItem item) {
        return item == null ? null : new Item(item.id, item.name, item.counter);
    }
}
