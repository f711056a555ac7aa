# skiff: one binary. Stage 1 compiles it with `deno compile`; stage 2 is a minimal, non-root
# runtime with CA certificates and nothing else (no shell, no package manager).
FROM denoland/deno:2.9.6 AS build
WORKDIR /src
COPY deno.json deno.lock ./
COPY main.ts ./
COPY agent ./agent
COPY lib ./lib
COPY deploy ./deploy
# Idle memory (bench/agent): a 1 MiB young generation, no TurboFan (Maglev is the top tier) and no
# code cache keep `skiff run` under 80 MB without slowing renders; the same flags as deno.json.
RUN deno install --frozen --entrypoint main.ts \
 && deno compile --frozen -A --no-code-cache --v8-flags=--max-semi-space-size=1,--no-turbofan \
      --include deploy --output /out/skiff main.ts \
 && /out/skiff version

# distroless/cc has glibc and libgcc (the compiled Deno runtime links them), CA certificates
# and a nonroot user (65532); the root filesystem can be mounted read-only.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/skiff /usr/local/bin/skiff
USER 65532:65532
# One malloc arena: the runtime's worker threads otherwise each keep freed memory of their own.
ENV SKIFF_CACHE_DIR=/var/cache/skiff DENO_DIR=/tmp/deno MALLOC_ARENA_MAX=1
EXPOSE 9090
ENTRYPOINT ["/usr/local/bin/skiff"]
CMD ["run", "--config", "/etc/skiff/skiff.yaml"]
