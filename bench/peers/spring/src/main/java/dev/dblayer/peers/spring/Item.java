package dev.dblayer.peers.spring;

/** What the read and the write answer, as dblayer's bench does. */
public record Item(long id, String name, long counter) {

    static Item of(BenchItem item) {
        return new Item(item.getId(), item.getName(), item.getCounter());
    }
}
