package com.vclick.core.directory.keycloak;

import com.vclick.core.directory.DirectoryUnavailableException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One request to Keycloak; transport failures become {@link DirectoryUnavailableException}. */
final class KeycloakHttp {

  private KeycloakHttp() {}

  static HttpResponse<String> send(HttpClient http, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DirectoryUnavailableException("Keycloak unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DirectoryUnavailableException("interrupted", e);
    }
  }
}
