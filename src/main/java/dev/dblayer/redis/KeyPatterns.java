package dev.dblayer.redis;

/** SCAN MATCH patterns for key prefixes, with the prefix taken literally. */
final class KeyPatterns {

    private KeyPatterns() {
    }

    /**
     * The pattern for every key below {@code prefix}: {@code prefix:*}, with the glob characters
     * of the prefix escaped, so that {@code a*} matches {@code a*:1} but never {@code ab:1}.
     */
    static String below(String prefix) {
        return escapeGlob(prefix) + ":*";
    }

    /** {@code text} with Redis's glob characters {@code * ? [ ] \} escaped by a backslash. */
    static String escapeGlob(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
