package com.vclick.media.kurento;

import static com.vclick.media.api.Leg.ENTERPRISE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.ProxiedCall;
import com.vclick.media.api.ProxiedCallRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;
import org.kurento.client.WebRtcEndpoint;

/**
 * The adapter's one connection to a real KMS when the socket drops or KMS stalls: the adapter talks
 * to KMS through a TCP relay of this test, which can cut every connection or hold the bytes back.
 * Needs {@code KMS_URL} like {@link KurentoProxiedCallIT} (skipped loudly without it).
 */
class KurentoConnectionIT {

  private static final Duration WAIT = Duration.ofSeconds(45);

  private final String kmsUrl = System.getenv("KMS_URL");
  private final List<MediaEvent> events = new CopyOnWriteArrayList<>();
  private Relay relay;
  private KurentoMediaServer server;
  private KurentoClient helper;

  @BeforeEach
  void relayToKms() throws IOException {
    KurentoProxiedCallIT.requireKmsUrl(kmsUrl);
    URI kms = URI.create(kmsUrl);
    relay = new Relay(kms.getHost(), kms.getPort());
    helper = KurentoClient.create(kmsUrl);
  }

  @AfterEach
  void closeEverything() throws IOException {
    if (server != null) {
      server.close();
    }
    if (relay != null) {
      relay.close();
    }
    if (helper != null) {
      helper.destroy();
    }
  }

  private KurentoMediaServer server(Map<String, String> extra) {
    var settings = new java.util.HashMap<>(extra);
    settings.put("url", "ws://127.0.0.1:" + relay.port() + "/kurento");
    settings.put("recordings-dir", "/tmp");
    return new KurentoMediaServer(KurentoSettings.from(settings));
  }

  @Test
  void aDroppedSocketIsRegainedTheCallGoesOnAndNewCallsUseTheSameClient() throws Exception {
    server = server(Map.of("request-timeout-ms", "3000"));
    String first = newCallId();
    ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest(first, false), events::add);

    relay.cut();

    ProxiedCall second = awaitNewCall(); // one sent as the socket dropped gets no answer
    String offer = bareOffer();
    call.offer(ENTERPRISE, offer); // the first call's pipeline is still there, in the same session
    assertEquals(2, server.openCalls());
    assertTrue(events.stream().noneMatch(e -> e instanceof MediaEvent.CallReleased), "" + events);
    call.close();
    second.close();
    assertEquals(0, server.openCalls());
  }

  @Test
  void aStalledKmsIsNoticedByTheHeartbeatAndAfterwardsNewCallsWork() throws Exception {
    server =
        server(
            Map.of(
                "heartbeat-ms",
                "1000",
                "request-timeout-ms",
                "2000",
                "reconnect-window-ms",
                "3000"));
    server.createProxiedCall(new ProxiedCallRequest(newCallId(), false), events::add);

    relay.hold(true);
    Thread.sleep(5000);
    relay.hold(false);

    ProxiedCall fresh = awaitNewCall();
    fresh.offer(ENTERPRISE, bareOffer());
    fresh.close();
  }

  /** A new call, tried until the adapter's connection serves again (at most {@link #WAIT}). */
  private ProxiedCall awaitNewCall() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        return server.createProxiedCall(new ProxiedCallRequest(newCallId(), false), events::add);
      } catch (Exception e) {
        last = e;
        Thread.sleep(500);
      }
    }
    return fail("no new call within " + WAIT + ": " + last);
  }

  private String bareOffer() {
    MediaPipeline pipeline = helper.createMediaPipeline();
    try {
      return new WebRtcEndpoint.Builder(pipeline).build().generateOffer();
    } finally {
      pipeline.release();
    }
  }

  private static String newCallId() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A TCP relay on loopback that can cut its connections or hold their bytes back. */
  private static final class Relay implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean held;

    Relay(String host, int port) throws IOException {
      daemon(
          () -> {
            while (!listener.isClosed()) {
              try {
                Socket client = listener.accept();
                Socket upstream = new Socket(host, port);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
              } catch (IOException e) {
                // closed, or KMS refused: the client sees its socket close
              }
            }
          });
    }

    int port() {
      return listener.getLocalPort();
    }

    private static void daemon(Runnable task) {
      var thread = new Thread(task, "it-relay");
      thread.setDaemon(true);
      thread.start();
    }

    void cut() throws IOException {
      for (Socket socket : sockets) {
        socket.close();
      }
      sockets.clear();
    }

    void hold(boolean hold) {
      held = hold;
    }

    private void pump(Socket from, Socket to) {
      daemon(
          () -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
              int n;
              while ((n = in.read(buffer)) >= 0) {
                while (held) {
                  Thread.sleep(50);
                }
                out.write(buffer, 0, n);
                out.flush();
              }
            } catch (IOException | InterruptedException e) {
              // cut
            } finally {
              try {
                from.close();
                to.close();
              } catch (IOException ignored) {
                // closing anyway
              }
            }
          });
    }

    @Override
    public void close() throws IOException {
      listener.close();
      cut();
    }
  }
}
