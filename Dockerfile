# syntax=docker/dockerfile:1
#
# Haven in a container: one static binary (modernc.org/sqlite is pure Go,
# so CGO_ENABLED=0), run as an unprivileged user, on a read-only root
# filesystem. Everything Haven writes goes to the /data volume.
#
#   docker build -t haven .
#   docker run --read-only -v haven-data:/data -p 8080:8080 haven
#   docker run --rm -it -v haven-data:/data haven user add --role admin you@example.org
#
# Put a TLS proxy in front of it (see "Deployment" in the README).

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/haven ./cmd/haven \
    && mkdir -p /out/data

FROM scratch
# CA roots, for the link checker's HTTPS requests.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/haven /usr/local/bin/haven
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
WORKDIR /data
ENV HAVEN_ADDR=0.0.0.0:8080 \
    HAVEN_DB=/data/haven.db \
    HAVEN_METRICS_ADDR=0.0.0.0:9464
VOLUME ["/data"]
EXPOSE 8080 9464
ENTRYPOINT ["/usr/local/bin/haven"]
CMD ["serve"]
