package dev.dblayer.db;

/**
 * The databases the module supports, with what differs between them. Configured by
 * {@code database.type}: {@code postgresql} (default) or {@code mysql} (MySQL and MariaDB,
 * through MySQL Connector/J).
 */
public enum DatabaseType {
    /** PostgreSQL through the {@code org.postgresql} driver. */
    POSTGRESQL(DatabaseSettings.DEFAULT_PORT_POSTGRESQL, DatabaseSettings.DEFAULT_USER_POSTGRESQL,
            "org.postgresql.Driver", "jdbc:postgresql:", "dev.dblayer.db.DblayerPostgreSQLPlatform"),
    /** MySQL or MariaDB through MySQL Connector/J. */
    MYSQL(DatabaseSettings.DEFAULT_PORT_MYSQL, DatabaseSettings.DEFAULT_USER_MYSQL,
            "com.mysql.cj.jdbc.Driver", "jdbc:mysql:", "org.eclipse.persistence.platform.database.MySQLPlatform");

    private final int defaultPort;
    private final String defaultUser;
    private final String driverClassName;
    private final String urlPrefix;
    private final String platformClassName;

    DatabaseType(int defaultPort, String defaultUser, String driverClassName, String urlPrefix,
            String platformClassName) {
        this.defaultPort = defaultPort;
        this.defaultUser = defaultUser;
        this.driverClassName = driverClassName;
        this.urlPrefix = urlPrefix;
        this.platformClassName = platformClassName;
    }

    /**
     * The port used when {@code database.port} is not set: {@link DatabaseSettings#DEFAULT_PORT_POSTGRESQL}
     * (5432) or {@link DatabaseSettings#DEFAULT_PORT_MYSQL} (3306).
     */
    public int defaultPort() {
        return defaultPort;
    }

    /**
     * The user used when {@code database.user} is not set: {@link DatabaseSettings#DEFAULT_USER_POSTGRESQL}
     * ({@code postgres}) or {@link DatabaseSettings#DEFAULT_USER_MYSQL} ({@code root}).
     */
    public String defaultUser() {
        return defaultUser;
    }

    /** The JDBC driver class, which the application must have in {@code WEB-INF/lib}. */
    public String driverClassName() {
        return driverClassName;
    }

    /** How every JDBC URL for this database starts, for example {@code jdbc:postgresql:}. */
    public String urlPrefix() {
        return urlPrefix;
    }

    /**
     * Driver properties that bound a single connection attempt (connect, login and first reply) to
     * about {@code timeout}: PostgreSQL's are in seconds, Connector/J's in milliseconds.
     */
    java.util.Properties attemptTimeouts(java.time.Duration timeout) {
        java.util.Properties properties = new java.util.Properties();
        switch (this) {
            case POSTGRESQL -> {
                String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
                properties.setProperty("connectTimeout", seconds);
                properties.setProperty("loginTimeout", seconds);
                properties.setProperty("socketTimeout", seconds);
            }
            case MYSQL -> {
                String millis = Long.toString(timeout.toMillis());
                properties.setProperty("connectTimeout", millis);
                properties.setProperty("socketTimeout", millis);
            }
        }
        return properties;
    }

    /** The EclipseLink target database (platform) class used for this database. */
    String platformClassName() {
        return platformClassName;
    }
}
