package io.nightcorej.socialnetwork;

import io.nightcorej.socialnetwork.loader.SocialGraphLoader;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads socfb-Reed98 into a running SocialNetwork front end.
 *
 * <pre>
 * java -jar microservices/social-network/target/social-network.jar --url http://127.0.0.1:8080 [--set key=value ...]
 * </pre>
 *
 * Keys: see {@link SocialGraphLoader}. Prints the result JSON as the last line; exits 1 on failure.
 */
public final class LoaderMain {

    private LoaderMain() {
    }

    /** @param args {@code --url URL [--set k=v]...}. */
    public static void main(final String[] args) {
        String url = null;
        final Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            if (("--url".equals(arg) || "--set".equals(arg)) && i + 1 >= args.length) {
                usage(arg + " needs a value");
            }
            if ("--url".equals(arg)) {
                url = args[++i];
            } else if ("--set".equals(arg)) {
                final String kv = args[++i];
                final int eq = kv.indexOf('=');
                if (eq <= 0) {
                    usage("--set expects key=value, got '" + kv + "'");
                }
                options.put(kv.substring(0, eq), kv.substring(eq + 1));
            } else if ("-h".equals(arg) || "--help".equals(arg)) {
                usage(null);
            } else {
                usage("unknown argument '" + arg + "'");
            }
        }
        if (url == null) {
            usage("--url is required");
        }
        try {
            final SocialGraphLoader.Result result = SocialGraphLoader.fromOptions(URI.create(url), options).load();
            System.out.println(result.toJson());
        } catch (final Exception e) {
            System.err.println("load failed: " + e.getMessage());
            System.out.println("{\"error\":" + quote(String.valueOf(e.getMessage())) + "}");
            System.exit(1);
        }
    }

    private static String quote(final String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static void usage(final String error) {
        if (error != null) {
            System.err.println("error: " + error);
        }
        System.err.println("usage: LoaderMain --url http://127.0.0.1:8080 [--set id_base=1|0] [--set concurrency=32]"
                + " [--set compose_posts=N] [--set seed=1] [--set dataset=FILE.edges] [--set timeout_s=300]");
        System.exit(error == null ? 0 : 2);
    }
}
