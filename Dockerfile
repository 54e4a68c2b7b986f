# Native image of Orderly, built in two stages:
#   docker build -t orderly .
#   docker run --rm -p 8080:8080 -e QUARKUS_REDIS_HOSTS=redis://redis:6379 -e ORDERLY_AUTH_TOKEN_SECRET=<secret> orderly
# Stage 1 compiles a native executable with Mandrel; stage 2 runs it on a minimal base.
FROM quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25 AS build
USER root
WORKDIR /code
COPY --chown=quarkus:quarkus mvnw pom.xml ./
COPY --chown=quarkus:quarkus .mvn .mvn
USER quarkus
RUN ./mvnw -B dependency:go-offline -q
COPY --chown=quarkus:quarkus src src
RUN ./mvnw -B package -Dnative -DskipTests

FROM quay.io/quarkus/ubi9-quarkus-micro-image:2.0
WORKDIR /work/
RUN chown 1001 /work && chmod "g+rwX" /work && chown 1001:root /work
COPY --from=build --chown=1001:root --chmod=0755 /code/target/*-runner /work/application
EXPOSE 8080
USER 1001
ENTRYPOINT ["./application", "-Dquarkus.http.host=0.0.0.0"]
