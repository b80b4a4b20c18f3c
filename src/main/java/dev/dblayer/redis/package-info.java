/**
 * The Redis client: settings, the pooled Jedis {@code RedisClient} producer with its startup check,
 * and key helpers ({@link dev.dblayer.redis.RedisKeys}). Never depends on db or health.
 */
package dev.dblayer.redis;
