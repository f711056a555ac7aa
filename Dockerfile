# skiff: one binary. Stage 1 compiles it with `deno compile`; stage 2 is a minimal, non-root
# runtime with CA certificates and nothing else (no shell, no package manager).
FROM denoland/deno:2.9.6 AS build
WORKDIR /src
COPY deno.json deno.lock ./
COPY main.ts ./
COPY agent ./agent
COPY lib ./lib
COPY deploy ./deploy
RUN deno install --frozen --entrypoint main.ts \
 && deno compile --frozen -A --include deploy --output /out/skiff main.ts \
 && /out/skiff version

# distroless/cc has glibc and libgcc (the compiled Deno runtime links them), CA certificates
# and a nonroot user (65532); the root filesystem can be mounted read-only.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/skiff /usr/local/bin/skiff
USER 65532:65532
ENV SKIFF_CACHE_DIR=/var/cache/skiff DENO_DIR=/tmp/deno
EXPOSE 9090
ENTRYPOINT ["/usr/local/bin/skiff"]
CMD ["run", "--config", "/etc/skiff/skiff.yaml"]
