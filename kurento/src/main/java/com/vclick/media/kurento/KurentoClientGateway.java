package com.vclick.media.kurento;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.kurento.KurentoSettings.Bandwidth;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kurento.client.CertificateKeyType;
import org.kurento.client.Composite;
import org.kurento.client.ConnectionState;
import org.kurento.client.EventListener;
import org.kurento.client.HubPort;
import org.kurento.client.KurentoClient;
import org.kurento.client.KurentoConnectionListener;
import org.kurento.client.KurentoObject;
import org.kurento.client.ListenerSubscription;
import org.kurento.client.MediaElement;
import org.kurento.client.MediaFlowState;
import org.kurento.client.MediaPipeline;
import org.kurento.client.MediaProfileSpecType;
import org.kurento.client.RecorderEndpoint;
import org.kurento.client.UriEndpointState;
import org.kurento.client.WebRtcEndpoint;
import org.kurento.client.internal.NotEnoughResourcesException;
import org.kurento.client.internal.server.KurentoServerException;
import org.kurento.client.internal.server.ProtocolException;
import org.kurento.jsonrpc.client.JsonRpcClientNettyWebSocket;
import org.kurento.jsonrpc.client.JsonRpcWSConnectionListener;

/**
 * {@link KurentoGateway} on {@code kurento-client} 7.x. Every Kurento exception becomes a {@link
 * KurentoGateway.Failure} whose message holds the operation and Kurento's error type only
 * (Kurento's own messages can quote the request, SDP included).
 */
final class KurentoClientGateway implements KurentoGateway {

  private static final Logger LOG = Logger.getLogger(KurentoClientGateway.class.getName());

  private final KurentoClient client;

  private KurentoClientGateway(KurentoClient client) {
    this.client = client;
  }

  /**
   * Connects with an explicit URI, connect and request timeouts, a heartbeat, a bounded reconnect
   * window and a connection listener (the JSON-RPC client's, which carries Kurento's {@link
   * KurentoConnectionListener} methods plus {@code reconnecting}).
   */
  static Connector connector(KurentoSettings settings) {
    return events -> {
      var rpc =
          new JsonRpcClientNettyWebSocket(
              settings.url().toString(), new ConnectionListener(events));
      rpc.setConnectionTimeout(intMillis(settings.connectTimeout().toMillis()));
      rpc.setRequestTimeout(settings.requestTimeout().toMillis());
      rpc.setSendCloseMessage(true);
      if (settings.reconnectWindow().isZero()) {
        rpc.setTryReconnectingForever(false);
      } else {
        rpc.setTryReconnectingMaxTime(settings.reconnectWindow().toMillis());
      }
      // Our heartbeat before KurentoClient's constructor, which then keeps it (it enables its own
      // 240 s one only when none is running). Replacing the client's heartbeat afterwards would
      // shut down its scheduler while its first ping (sent at once, during connect) waits for the
      // pong: the interrupted ping counts as a heartbeat failure, the client closes its socket to
      // reconnect, and it reconnects twice at once (its close and its channel listener each
      // start a reconnection), which can leave it unable to send ("Kurento unreachable").
      // Without a heartbeat (0) only that first ping is sent.
      rpc.enableHeartbeat(
          settings.heartbeat().isZero()
              ? Integer.MAX_VALUE
              : intMillis(settings.heartbeat().toMillis()));
      KurentoClient client;
      try {
        client = KurentoClient.createFromJsonRpcClientHonoringClientTimeouts(rpc);
      } catch (RuntimeException e) {
        closeQuietly(rpc); // else its heartbeat keeps trying
        throw translate("connect", e);
      }
      return new KurentoClientGateway(client);
    };
  }

  @Override
  public Pipeline createPipeline(String name) {
    MediaPipeline pipeline = call("create a pipeline", client::createMediaPipeline);
    var wrapped = new KurentoPipeline(pipeline);
    try {
      run("name the pipeline", () -> pipeline.setName(name));
    } catch (Failure e) {
      try {
        wrapped.release();
      } catch (Failure ignored) {
        LOG.fine("releasing an unnamed pipeline failed too");
      }
      throw e;
    }
    return wrapped;
  }

  @Override
  public String serverVersion() {
    return call("read the server info", () -> client.getServerManager().getInfo().getVersion());
  }

  @Override
  public boolean isClosed() {
    return client.isClosed();
  }

  @Override
  public void close() {
    try {
      client.destroy();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "KurentoClient.destroy failed", e);
    }
  }

  // --- objects ---

  /** A Kurento object and the listener subscriptions to remove before releasing it. */
  private class Owned implements Releasable {
    final KurentoObject object;
    final List<ListenerSubscription> subscriptions = new ArrayList<>();
    private boolean released;

    Owned(KurentoObject object) {
      this.object = object;
    }

    void subscribed(ListenerSubscription subscription) {
      synchronized (subscriptions) {
        subscriptions.add(subscription);
      }
    }

    /** Removes the listeners; stops at the first failure (KMS gone: no point in more requests). */
    void unsubscribe() {
      List<ListenerSubscription> copy;
      synchronized (subscriptions) {
        copy = List.copyOf(subscriptions);
        subscriptions.clear();
      }
      for (ListenerSubscription subscription : copy) {
        if (client.isClosed()) {
          return;
        }
        try {
          object.removeEventListener(subscription);
        } catch (RuntimeException e) {
          LOG.log(Level.FINE, "listener removal failed: {0}", e.getClass().getSimpleName());
          return;
        }
      }
    }

    @Override
    public synchronized void release() {
      if (released) {
        return;
      }
      released = true;
      unsubscribe();
      run("release " + object.getClass().getSimpleName(), object::release);
    }
  }

  private final class KurentoPipeline extends Owned implements Pipeline {
    private final MediaPipeline pipeline;
    private final List<Owned> children = new ArrayList<>();

    KurentoPipeline(MediaPipeline pipeline) {
      super(pipeline);
      this.pipeline = pipeline;
    }

    @Override
    public String id() {
      return pipeline.getId();
    }

    @Override
    public WebRtc createWebRtcEndpoint(
        String name, Bandwidth bandwidth, boolean ecdsa, WebRtcEvents events) {
      WebRtcEndpoint endpoint =
          call(
              "create a WebRtcEndpoint",
              () ->
                  new WebRtcEndpoint.Builder(pipeline)
                      .withCertificateKeyType(
                          ecdsa ? CertificateKeyType.ECDSA : CertificateKeyType.RSA)
                      .build());
      var wrapped = new KurentoWebRtc(endpoint, name);
      adopt(wrapped);
      run(
          "configure a WebRtcEndpoint",
          () -> {
            endpoint.setName(name);
            endpoint.setMaxVideoSendBandwidth(bandwidth.maxSendKbps());
            endpoint.setMinVideoSendBandwidth(bandwidth.minSendKbps());
            endpoint.setMaxVideoRecvBandwidth(bandwidth.maxRecvKbps());
            endpoint.setMinVideoRecvBandwidth(bandwidth.minRecvKbps());
          });
      run(
          "subscribe to a WebRtcEndpoint",
          () -> {
            wrapped.subscribed(
                endpoint.addIceCandidateFoundListener(
                    guarded(e -> events.candidateFound(toPort(e.getCandidate())))));
            wrapped.subscribed(
                endpoint.addMediaFlowInStateChangedListener(
                    guarded(
                        e ->
                            events.mediaFlowIn(
                                String.valueOf(e.getMediaType()),
                                e.getState() == MediaFlowState.FLOWING))));
            wrapped.subscribed(
                endpoint.addMediaFlowOutStateChangedListener(
                    guarded(
                        e ->
                            events.mediaFlowOut(
                                String.valueOf(e.getMediaType()),
                                e.getState() == MediaFlowState.FLOWING))));
            wrapped.subscribed(
                endpoint.addIceComponentStateChangedListener(
                    guarded(e -> events.iceComponentState(String.valueOf(e.getState())))));
            wrapped.subscribed(
                endpoint.addConnectionStateChangedListener(
                    guarded(
                        e ->
                            events.connectionState(e.getNewState() == ConnectionState.CONNECTED))));
            wrapped.subscribed(endpoint.addErrorListener(guarded(e -> events.error(e.getType()))));
            // before any gatherCandidates(): the event cannot be missed. kurento-client runs each
            // event on a thread of a cached pool, so this one arrives while the call's own
            // listeners wait for the lock offer()/answer() hold during the wait.
            wrapped.subscribed(
                endpoint.addIceGatheringDoneListener(guarded(e -> wrapped.gatheringDone())));
          });
      return wrapped;
    }

    @Override
    public Recorder createRecorder(
        String name, String uri, Profile profile, RecorderEvents events) {
      RecorderEndpoint recorder =
          call(
              "create a RecorderEndpoint",
              () ->
                  new RecorderEndpoint.Builder(pipeline, uri)
                      .withMediaProfile(MediaProfileSpecType.valueOf(profile.name()))
                      .build());
      var wrapped = new KurentoRecorder(recorder, name);
      adopt(wrapped);
      run(
          "subscribe to a RecorderEndpoint",
          () -> {
            recorder.setName(name);
            // all before record(): no Recording/Stopped can be missed
            wrapped.subscribed(recorder.addRecordingListener(guarded(e -> events.recording())));
            wrapped.subscribed(recorder.addStoppedListener(guarded(e -> events.stopped())));
            wrapped.subscribed(recorder.addErrorListener(guarded(e -> events.error(e.getType()))));
          });
      return wrapped;
    }

    @Override
    public Mixer createComposite(String name) {
      Composite composite =
          call("create a Composite", () -> new Composite.Builder(pipeline).build());
      var wrapped = new KurentoMixer(composite);
      adopt(wrapped);
      run("name a Composite", () -> composite.setName(name));
      return wrapped;
    }

    private void adopt(Owned child) {
      synchronized (children) {
        children.add(child);
      }
    }

    /** Removes every child's listeners, then releases the pipeline (and with it every child). */
    @Override
    public synchronized void release() {
      List<Owned> copy;
      synchronized (children) {
        copy = List.copyOf(children);
        children.clear();
      }
      for (Owned child : copy) {
        child.unsubscribe();
      }
      super.release();
    }
  }

  private class KurentoElement extends Owned implements Element {
    final MediaElement element;
    private final String name;

    KurentoElement(MediaElement element, String name) {
      super(element);
      this.element = element;
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void connect(Element sink) {
      MediaElement target = ((KurentoElement) sink).element;
      run("connect " + name + " to " + sink.name(), () -> element.connect(target));
    }
  }

  private final class KurentoWebRtc extends KurentoElement implements WebRtc {
    private final WebRtcEndpoint endpoint;
    // an endpoint gathers once (the call asks once), so IceGatheringDone comes at most once
    private final CountDownLatch gatheringDone = new CountDownLatch(1);

    KurentoWebRtc(WebRtcEndpoint endpoint, String name) {
      super(endpoint, name);
      this.endpoint = endpoint;
    }

    @Override
    public String processOffer(String sdp) {
      return call("processOffer", () -> endpoint.processOffer(sdp));
    }

    @Override
    public String processAnswer(String sdp) {
      return call("processAnswer", () -> endpoint.processAnswer(sdp));
    }

    @Override
    public String generateOffer() {
      return call("generateOffer", endpoint::generateOffer);
    }

    @Override
    public void gatherCandidates() {
      run("gatherCandidates", endpoint::gatherCandidates);
    }

    void gatheringDone() {
      gatheringDone.countDown();
    }

    @Override
    public boolean awaitGatheringDone(Duration timeout) {
      try {
        return gatheringDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return gatheringDone.getCount() == 0;
      }
    }

    @Override
    public String localSessionDescriptor() {
      return call("getLocalSessionDescriptor", endpoint::getLocalSessionDescriptor);
    }

    @Override
    public void addIceCandidate(IceCandidate candidate) {
      var kurento =
          new org.kurento.client.IceCandidate(
              candidate.candidate(), candidate.sdpMid(), candidate.sdpMLineIndex());
      run("addIceCandidate", () -> endpoint.addIceCandidate(kurento));
    }
  }

  private final class KurentoRecorder extends KurentoElement implements Recorder {
    private final RecorderEndpoint recorder;

    KurentoRecorder(RecorderEndpoint recorder, String name) {
      super(recorder, name);
      this.recorder = recorder;
    }

    @Override
    public void record() {
      run("record", recorder::record);
    }

    @Override
    public void stop() {
      run("stop the recorder", recorder::stop);
    }

    @Override
    public boolean isRecording() {
      return call("read the recorder's state", recorder::getState) != UriEndpointState.STOP;
    }
  }

  private final class KurentoMixer extends Owned implements Mixer {
    private final Composite composite;

    KurentoMixer(Composite composite) {
      super(composite);
      this.composite = composite;
    }

    @Override
    public Element createPort(String name) {
      HubPort port = call("create a HubPort", () -> new HubPort.Builder(composite).build());
      var wrapped = new KurentoElement(port, name);
      run("name a HubPort", () -> port.setName(name));
      return wrapped;
    }
  }

  // --- translation ---

  private static IceCandidate toPort(org.kurento.client.IceCandidate candidate) {
    return new IceCandidate(
        candidate.getCandidate(), candidate.getSdpMid(), candidate.getSdpMLineIndex());
  }

  /** Our listeners never throw into Kurento's event thread. */
  private static <E extends org.kurento.client.Event> EventListener<E> guarded(
      EventListener<E> listener) {
    return event -> {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "handling a Kurento event failed", e);
      }
    };
  }

  private static <T> T call(String what, Supplier<T> operation) {
    try {
      return operation.get();
    } catch (RuntimeException e) {
      throw translate(what, e);
    }
  }

  private static void run(String what, Runnable operation) {
    try {
      operation.run();
    } catch (RuntimeException e) {
      throw translate(what, e);
    }
  }

  /**
   * KMS answered with an error → refused; no answer (transport, timeout, closed client) →
   * unreachable.
   */
  static Failure translate(String what, RuntimeException e) {
    if (e instanceof Failure failure) {
      return failure;
    }
    if (e instanceof KurentoServerException server) {
      String type =
          server.getErrorType() != null ? server.getErrorType() : "code " + server.getCode();
      return new Failure(what + " refused by Kurento: " + type, false, type);
    }
    String type = e.getClass().getSimpleName();
    boolean refused =
        e instanceof ProtocolException
            || e instanceof NotEnoughResourcesException
            || e instanceof IllegalArgumentException;
    if (refused) {
      return new Failure(what + " refused by Kurento: " + type, false, type);
    }
    LOG.log(Level.FINE, "{0} failed: {1}", new Object[] {what, type});
    return new Failure(what + " failed: Kurento unreachable (" + type + ")", true, type);
  }

  private static int intMillis(long millis) {
    return (int) Math.min(Integer.MAX_VALUE, millis);
  }

  private static void closeQuietly(JsonRpcClientNettyWebSocket rpc) {
    try {
      rpc.close();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "closing the JSON-RPC client failed", e);
    }
  }

  /**
   * Kurento's {@link KurentoConnectionListener}, also the JSON-RPC client's listener (which adds
   * {@code reconnecting}): forwards to the adapter.
   */
  private record ConnectionListener(ConnectionEvents events)
      implements KurentoConnectionListener, JsonRpcWSConnectionListener {

    @Override
    public void connected() {
      LOG.fine("connected to Kurento");
    }

    @Override
    public void connectionFailed() {
      events.connectionFailed();
    }

    @Override
    public void disconnected() {
      events.disconnected();
    }

    @Override
    public void reconnecting() {
      LOG.warning("Kurento connection dropped: reconnecting (calls go on meanwhile)");
    }

    @Override
    public void reconnected(boolean sameServer) {
      events.reconnected(sameServer);
    }
  }
}
