package com.vclick.core.health;

import com.vclick.core.config.KeycloakConfig;
import com.vclick.core.directory.Directory;
import com.vclick.core.media.MediaServerHolder;
import com.vclick.core.persistence.Database;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs the health checks; each is bounded by a short timeout. */
@ApplicationScoped
public class HealthService {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  @Inject Database database;
  @Inject KeycloakConfig keycloak;
  @Inject MediaServerHolder media;
  @Inject Directory directory;

  private HttpClient http;

  @PostConstruct
  void init() {
    http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  public HealthReport check() {
    Map<String, Boolean> checks = new LinkedHashMap<>();
    checks.put("database", database.isHealthy());
    checks.put("identity", identityProviderAnswers());
    checks.put("media", media.server().probe().reachable());
    checks.put("directory", directory.isLoaded());
    return HealthReport.of(checks);
  }

  private boolean identityProviderAnswers() {
    HttpRequest request =
        HttpRequest.newBuilder(keycloak.jwksEndpoint()).timeout(TIMEOUT).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
