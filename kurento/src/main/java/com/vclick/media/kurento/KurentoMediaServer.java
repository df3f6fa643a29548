package com.vclick.media.kurento;

import com.vclick.media.api.MediaEventListener;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.MediaServerException;
import com.vclick.media.api.MediaServerStatus;
import com.vclick.media.api.ProxiedCall;
import com.vclick.media.api.ProxiedCallRequest;
import java.util.concurrent.atomic.AtomicReference;
import org.kurento.client.KurentoClient;
import org.kurento.jsonrpc.client.JsonRpcClientNettyWebSocket;

/**
 * A Kurento Media Server reached with {@code kurento-client}. The client is created on first use
 * with an explicit URI and timeouts, and dropped when the connection is lost so that the next use
 * reconnects.
 */
public final class KurentoMediaServer implements MediaServer {

  private final KurentoSettings settings;
  private final AtomicReference<KurentoClient> client = new AtomicReference<>();

  public KurentoMediaServer(KurentoSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return KurentoMediaServerProvider.NAME;
  }

  @Override
  public MediaServerStatus probe() {
    try {
      var info = client().getServerManager().getInfo();
      return MediaServerStatus.up("Kurento " + info.getVersion());
    } catch (RuntimeException e) {
      dropClient();
      return MediaServerStatus.down("unreachable: " + e.getClass().getSimpleName());
    }
  }

  private KurentoClient client() {
    KurentoClient current = client.get();
    if (current != null && !current.isClosed()) {
      return current;
    }
    var rpc = new JsonRpcClientNettyWebSocket(settings.url().toString());
    rpc.setConnectionTimeout((int) settings.connectTimeout().toMillis());
    rpc.setRequestTimeout((int) settings.requestTimeout().toMillis());
    KurentoClient created = KurentoClient.createFromJsonRpcClientHonoringClientTimeouts(rpc);
    if (!client.compareAndSet(current, created)) {
      created.destroy();
      return client.get();
    }
    return created;
  }

  private void dropClient() {
    KurentoClient current = client.getAndSet(null);
    if (current != null) {
      current.destroy();
    }
  }

  @Override
  public ProxiedCall createProxiedCall(ProxiedCallRequest request, MediaEventListener listener)
      throws MediaServerException {
    throw new MediaServerException("Kurento proxied calls are not implemented yet");
  }

  @Override
  public int openCalls() {
    return 0;
  }

  @Override
  public void close() {
    dropClient();
  }
}
