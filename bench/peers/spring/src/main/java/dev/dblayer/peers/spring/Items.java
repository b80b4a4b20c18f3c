package dev.dblayer.peers.spring;

import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data's repository of the bench's rows. */
public interface Items extends JpaRepository<BenchItem, Long> {
}
