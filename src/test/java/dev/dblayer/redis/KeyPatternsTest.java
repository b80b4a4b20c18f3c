package dev.dblayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KeyPatternsTest {

    @Test
    void escapesEveryGlobCharacter() {
        assertEquals("a\\*b\\?c\\[d\\]e\\\\f", KeyPatterns.escapeGlob("a*b?c[d]e\\f"), "* ? [ ] \\ escaped");
    }

    @Test
    void leavesOrdinaryCharactersAlone() {
        assertEquals("fba:token:1-x_y.z^!", KeyPatterns.escapeGlob("fba:token:1-x_y.z^!"),
                "no other character is special outside brackets");
    }

    @Test
    void matchesOnlyKeysBelowThePrefix() {
        assertEquals("fba:token:1:*", KeyPatterns.below("fba:token:1"), "the separator keeps fba:token:10 out");
        assertEquals("a\\*:*", KeyPatterns.below("a*"), "a literal * in the prefix");
    }
}
