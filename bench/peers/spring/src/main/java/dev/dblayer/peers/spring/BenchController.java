package dev.dblayer.peers.spring;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * dblayer's bench endpoints on Spring Boot: {@code GET /api/read} (one row by id, a query each time:
 * no second-level cache), {@code POST /api/write} (find, increment, commit) and {@code GET /api/hold}
 * (one connection held, to exhaust the pool). Readiness is Actuator's, at
 * {@code /actuator/health/readiness}.
 */
@RestController
@RequestMapping("/api")
public class BenchController {

    static final int ROWS = 1000;

    private final Items items;

    @PersistenceContext
    private EntityManager em;

    public BenchController(Items items) {
        this.items = items;
    }

    @GetMapping("/read")
    public Item read() {
        return items.findById(randomId()).map(Item::of).orElse(null);
    }

    @PostMapping("/write")
    @Transactional
    public Item write() {
        BenchItem item = items.findById(randomId()).orElseThrow();
        item.setCounter(item.getCounter() + 1);
        return Item.of(item);
    }

    @GetMapping("/hold")
    @Transactional
    public Map<String, Object> hold(@RequestParam("seconds") double seconds) {
        em.createNativeQuery("SELECT pg_sleep(" + seconds + ")").getResultList();
        return Map.of("held", seconds);
    }

    private static long randomId() {
        return ThreadLocalRandom.current().nextLong(1, ROWS + 1);
    }
}
