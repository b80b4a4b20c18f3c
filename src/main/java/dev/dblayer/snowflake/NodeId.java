package dev.dblayer.snowflake;

/** A node's datacenter and worker id, each 0 to 31. */
record NodeId(int datacenterId, int workerId) {

    /** The number of pairs there are: 1024. */
    static final int PAIRS = (SnowflakeId.MAX_NODE_PART + 1) * (SnowflakeId.MAX_NODE_PART + 1);

    /** The {@code index}th pair, datacenter by datacenter: 0 is 0/0, 1 is 0/1, 32 is 1/0. */
    static NodeId ofIndex(int index) {
        return new NodeId(index / (SnowflakeId.MAX_NODE_PART + 1), index % (SnowflakeId.MAX_NODE_PART + 1));
    }

    @Override
    public String toString() {
        return "datacenter " + datacenterId + ", worker " + workerId;
    }
}
