package dev.dblayer.bench;

/** What every read and write endpoint returns, whichever path produced it. */
public record Item(long id, String name, long counter) {

    static Item of(BenchItem item) {
        return item == null ? null : new Item(item.getId(), item.getName(), item.getCounter());
    }
}
