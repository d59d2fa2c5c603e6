package io.moescope.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml as the tests read it, without a Docker engine: its services, their settings and mounts. */
final class ComposeFile {

    /** The repository's root folder: where docker-compose.yml is. */
    static final Path ROOT = repositoryRoot();
    private static final Map<String, Object> SERVICES = services();

    private ComposeFile() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(String name) {
        return (Map<String, Object>) SERVICES.get(name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> environment(String service) {
        var environment = (Map<String, Object>) service(service).get("environment");
        var values = new LinkedHashMap<String, String>();
        environment.forEach((key, value) -> values.put(key, String.valueOf(value)));
        return values;
    }

    /** Where each volume is mounted in the service's container. */
    static List<String> volumeMounts(String service) {
        return volumes(service).stream().map(volume -> volume.split(":")[1]).toList();
    }

    /** The service's bind mounts of repository files: repository path -&gt; container path. */
    static Map<String, String> bindMounts(String service) {
        var mounts = new LinkedHashMap<String, String>();
        volumes(service).stream().filter(volume -> volume.startsWith("./"))
                .forEach(volume -> mounts.put(volume.split(":")[0], volume.split(":")[1]));
        return mounts;
    }

    /** The repository file a path in the service's container shows, when a bind mount holds it. */
    static Optional<Path> repositoryFile(String service, String containerPath) {
        return bindMounts(service).entrySet().stream()
                .filter(m -> containerPath.equals(m.getValue()) || containerPath.startsWith(m.getValue() + "/"))
                .findFirst()
                .map(m -> ROOT.resolve(m.getKey() + containerPath.substring(m.getValue().length())).normalize());
    }

    /** The ports of the service's container that it publishes. */
    static List<String> containerPorts(String service) {
        return ((List<?>) service(service).get("ports")).stream().map(String::valueOf)
                .map(port -> port.substring(port.lastIndexOf(':') + 1)).toList();
    }

    private static List<String> volumes(String service) {
        return ((List<?>) service(service).get("volumes")).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() {
        try {
            Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
            return (Map<String, Object>) compose.get("services");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
