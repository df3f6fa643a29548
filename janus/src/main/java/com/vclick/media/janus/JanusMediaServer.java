package com.vclick.media.janus;

import com.vclick.media.api.MediaEventListener;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.MediaServerException;
import com.vclick.media.api.MediaServerStatus;
import com.vclick.media.api.ProxiedCall;
import com.vclick.media.api.ProxiedCallRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Pattern;

/** A Janus instance reached over its HTTP transport. */
public final class JanusMediaServer implements MediaServer {

  private static final Pattern VERSION = Pattern.compile("\"version_string\"\\s*:\\s*\"([^\"]+)\"");

  private final JanusSettings settings;
  private final HttpClient http;

  public JanusMediaServer(JanusSettings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
  }

  @Override
  public String name() {
    return JanusMediaServerProvider.NAME;
  }

  @Override
  public MediaServerStatus probe() {
    var request =
        HttpRequest.newBuilder(URI.create(settings.url() + "/info"))
            .timeout(settings.timeout())
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || !response.body().contains("\"server_info\"")) {
        return MediaServerStatus.down("unexpected answer " + response.statusCode());
      }
      var version = VERSION.matcher(response.body());
      return MediaServerStatus.up(version.find() ? "Janus " + version.group(1) : "Janus");
    } catch (IOException e) {
      return MediaServerStatus.down("unreachable: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return MediaServerStatus.down("interrupted");
    }
  }

  @Override
  public ProxiedCall createProxiedCall(ProxiedCallRequest request, MediaEventListener listener)
      throws MediaServerException {
    throw new MediaServerException("Janus proxied calls are not implemented yet");
  }

  @Override
  public int openCalls() {
    return 0;
  }

  @Override
  public void close() {
    // No session is held yet; calls and conferences will release theirs here.
  }
}
