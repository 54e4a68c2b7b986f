package dev.orderly.config;

import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

/** The configured Redis address, as operators see it in health data and error messages. */
public final class RedisHosts {

    /** Placeholder address that application.properties sets in production when QUARKUS_REDIS_HOSTS is missing. */
    static final String UNCONFIGURED = "redis://127.0.0.1:1";
    /** Instruction in messages when no address is configured. */
    public static final String HOW_TO_CONFIGURE =
            "set QUARKUS_REDIS_HOSTS (quarkus.redis.hosts), for example redis://127.0.0.1:6379";

    private static final Pattern USER_INFO = Pattern.compile("://[^@/,]*@");

    private RedisHosts() {
    }

    /** Returns whether no Redis address is configured, so the application runs with the placeholder. */
    public static boolean isUnconfigured(Optional<String> hosts) {
        return hosts.isEmpty() || hosts.get().equals(UNCONFIGURED);
    }

    /** Returns whether the running application has no Redis address configured. */
    public static boolean isUnconfigured() {
        return isUnconfigured(ConfigProvider.getConfig().getOptionalValue("quarkus.redis.hosts", String.class));
    }

    /** Returns {@code hosts} with the user name and password of every address replaced by {@code ***}. */
    public static String redact(String hosts) {
        return USER_INFO.matcher(hosts).replaceAll("://***@");
    }
}
