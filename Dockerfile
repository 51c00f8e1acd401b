# syntax=docker/dockerfile:1
# Tether's container image: a Swift build stage and a slim Debian runtime holding only
# the C libraries the binary links (libgit2, libcurl, libyaml, OpenSSL) and CA
# certificates. The Swift runtime and Foundation are linked statically.
#
#   docker build -t tether:0.1.0 .
#   docker run --rm tether:0.1.0 render /config/overlays/aws     (with the repository mounted at /config)
#
# Debian 12 (bookworm) in both stages, so the -dev packages the build links against
# match the runtime packages exactly (libgit2 1.5, libcurl 7.88, OpenSSL 3.0).

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libgit2-dev libcurl4-openssl-dev libyaml-dev libssl-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN swift build -c release --product tether --static-swift-stdlib \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/tether" /out/tether

FROM ${RUNTIME_IMAGE}
# ssh-keygen and gpgv verify commit signatures (--verify-signatures, --verify-keyring).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libgit2-1.5 libcurl4 libyaml-0-2 libssl3 ca-certificates openssh-client gpgv \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/tether /usr/local/bin/tether
# The same non-root user the manifests in deploy/ run as; the Git cache goes to a
# writable volume (--cache-dir), the root filesystem can be read-only.
USER 65532:65532
ENV XDG_CACHE_HOME=/var/cache
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/tether"]
CMD ["--help"]
