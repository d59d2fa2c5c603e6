# The application image used by docker-compose.yml. Build the jar first: ./moescope --help (or mvn -DskipTests package)
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY cli/target/moescope.jar /app/moescope.jar
ENV DJL_CACHE_DIR=/data/djl-cache
# libtorch's OpenMP threads sleep between operations (docs/cli.md, "Engine threads")
ENV OMP_WAIT_POLICY=PASSIVE
# Not root: a user of its own, owning the data volume's mount point.
RUN useradd --system --uid 10001 --home-dir /data moescope && mkdir -p /data && chown moescope /data
USER moescope
EXPOSE 8080
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-Dmoescope.data-dir=/data", "-jar", "/app/moescope.jar", "serve"]
