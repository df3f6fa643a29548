package com.vclick.core.config;

import com.vclick.core.audit.AuditArchiveFolder;
import com.vclick.core.audit.AuditCheckpointInterval;
import com.vclick.core.audit.AuditKey;
import com.vclick.core.edge.recording.RecordedCallConfig;
import com.vclick.core.edge.recording.RecordingFailMode;
import com.vclick.core.edge.sdp.PeerAddressRanges;
import com.vclick.core.identity.token.TokenRules;
import com.vclick.core.recordings.RecordingsConfig;
import com.vclick.core.retention.RetentionConfig;
import com.vclick.core.telephony.TelephonyGateway;
import com.vclick.core.turn.MintRateLimit;
import com.vclick.core.turn.TurnAuditInterval;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * Reads MicroProfile Config once into the typed configuration records. Defaults live in {@code
 * META-INF/microprofile-config.properties} of the web module and are listed in CONFIG.md.
 */
@ApplicationScoped
public class ConfigProducer {

  @Inject Config config;

  @Produces
  @Singleton
  KeycloakConfig keycloak() {
    return new KeycloakConfig(
        URI.create(trimSlash(config.getValue("vclick.keycloak.url", String.class))),
        config.getValue("vclick.keycloak.realm", String.class),
        config.getValue("vclick.keycloak.client-id", String.class),
        config.getOptionalValue("vclick.keycloak.client-secret", String.class).orElse(""));
  }

  @Produces
  @Singleton
  TurnConfig turn() {
    return new TurnConfig(
        config.getOptionalValue("vclick.turn.secret", String.class).orElse(""),
        List.of(config.getValue("vclick.turn.uris", String[].class)),
        config.getValue("vclick.turn.ttl", Duration.class));
  }

  @Produces
  @Singleton
  MintRateLimit mintRateLimit() {
    return new MintRateLimit(
        config.getValue("vclick.turn.mint-burst", Integer.class),
        config.getValue("vclick.turn.mint-per-minute", Integer.class));
  }

  @Produces
  @Singleton
  TurnAuditInterval turnAuditInterval() {
    return new TurnAuditInterval(config.getValue("vclick.turn.audit-interval", Duration.class));
  }

  @Produces
  @Singleton
  AuditKey auditKey() {
    return AuditKey.of(config.getOptionalValue("vclick.audit.key", String.class));
  }

  @Produces
  @Singleton
  AuditArchiveFolder auditArchiveFolder() {
    return new AuditArchiveFolder(
        Path.of(config.getValue("vclick.audit.archive-dir", String.class)));
  }

  @Produces
  @Singleton
  AuditCheckpointInterval auditCheckpointInterval() {
    return new AuditCheckpointInterval(
        config.getValue("vclick.audit.checkpoint-interval", Duration.class));
  }

  @Produces
  @Singleton
  RetentionConfig retention() {
    return new RetentionConfig(
        config.getValue("vclick.retention.edge-decisions-days", Integer.class),
        config.getValue("vclick.retention.edge-connections-days", Integer.class),
        config.getValue("vclick.retention.call-log-days", Integer.class),
        config.getValue("vclick.retention.audit-days", Integer.class),
        config.getValue("vclick.retention.sweep-interval", Duration.class));
  }

  @Produces
  @Singleton
  DirectoryConfig directory() {
    return new DirectoryConfig(
        config.getValue("vclick.directory.refresh", Duration.class),
        config.getValue("vclick.directory.max-results", Integer.class));
  }

  @Produces
  @Singleton
  HealthConfig health() {
    return new HealthConfig(
        config.getValue("vclick.health.refresh", Duration.class),
        config.getOptionalValue("vclick.health.key", String.class).orElse(""));
  }

  @Produces
  @Singleton
  PeerAddressRanges farEndPeers() {
    return PeerAddressRanges.deniedExcept(
        config
            .getOptionalValue("vclick.media.far-end-allowed-peer-ips", String[].class)
            .map(List::of)
            .orElse(List.of()));
  }

  @Produces
  @Singleton
  MediaConfig media() {
    String server = config.getValue("vclick.media.server", String.class);
    String prefix = "vclick.media." + server + ".";
    Map<String, String> settings = new HashMap<>();
    for (String name : config.getPropertyNames()) {
      if (name.startsWith(prefix)) {
        config
            .getOptionalValue(name, String.class)
            .ifPresent(value -> settings.put(name.substring(prefix.length()), value));
      }
    }
    // Secrets and per-host paths come from the environment, where MicroProfile Config cannot list
    // names by prefix (VCLICK_MEDIA_JANUS_API_SECRET, VCLICK_MEDIA_JANUS_RECORDINGS_DIR).
    for (String key : List.of("api-secret", "recordings-dir")) {
      config
          .getOptionalValue(prefix + key, String.class)
          .ifPresent(value -> settings.put(key, value));
    }
    return new MediaConfig(server, settings);
  }

  @Produces
  @Singleton
  HttpConfig http() {
    return new HttpConfig(
        config.getValue("vclick.http.max-body-bytes", Integer.class),
        config.getValue("vclick.http.max-policy-body-bytes", Integer.class));
  }

  @Produces
  @Singleton
  CallsConfig calls() {
    return new CallsConfig(
        config.getValue("vclick.calls.ring-timeout", Duration.class),
        config.getValue("vclick.calls.reconnect-grace", Duration.class),
        config.getValue("vclick.calls.force-relay", Boolean.class),
        config.getValue("vclick.calls.max-parties", Integer.class));
  }

  @Produces
  @Singleton
  TelephonyConfig telephony() {
    return new TelephonyConfig(
        TelephonyGateway.parseList(
            config.getOptionalValue("vclick.telephony.gateways", String.class).orElse("")));
  }

  @Produces
  @Singleton
  SignalingConfig signaling() {
    Set<String> origins = new HashSet<>();
    for (String origin : config.getValue("vclick.signaling.origins", String[].class)) {
      origins.add(trimSlash(origin.strip()));
    }
    return new SignalingConfig(
        config.getValue("vclick.signaling.auth-timeout", Duration.class),
        config.getValue("vclick.signaling.idle-timeout", Duration.class),
        origins,
        config.getValue("vclick.signaling.max-connections-per-user", Integer.class),
        config.getValue("vclick.signaling.max-unauthenticated", Integer.class),
        config.getValue("vclick.signaling.max-unauthenticated-per-address", Integer.class));
  }

  @Produces
  @Singleton
  TokenRules tokenRules() {
    // The same settings MP-JWT applies to REST requests, so both entry points accept one token.
    return new TokenRules(
        config.getValue("mp.jwt.verify.issuer", String.class),
        config.getValue("mp.jwt.verify.audiences", String.class),
        Duration.ofSeconds(config.getValue("mp.jwt.verify.clock.skew", Integer.class)));
  }

  @Produces
  @Singleton
  RecordedCallConfig recordedCalls() {
    return new RecordedCallConfig(
        RecordingFailMode.parse(config.getValue("vclick.recording.fail-mode", String.class)),
        config.getValue("vclick.recording.idle-timeout", Duration.class),
        config.getValue("vclick.recording.max-calls-per-user", Integer.class),
        config.getValue("vclick.recording.orphan-after", Duration.class),
        config.getValue("vclick.recording.ingest-retry-max", Duration.class));
  }

  @Produces
  @Singleton
  RecordingsConfig recordings() {
    return new RecordingsConfig(
        Path.of(config.getValue("vclick.recordings.dir", String.class)),
        config.getValue("vclick.recordings.retention-days", Integer.class),
        config.getValue("vclick.recordings.sweep-interval", Duration.class),
        config.getValue("vclick.recordings.ffprobe", String.class));
  }

  @Produces
  @Singleton
  EdgeConnectionsConfig edgeConnections() {
    return new EdgeConnectionsConfig(
        config.getValue("vclick.edge.connections.offline-grace", Duration.class),
        config.getValue("vclick.edge.connections.silence-limit", Duration.class),
        config.getValue("vclick.edge.connections.sweep-interval", Duration.class));
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
