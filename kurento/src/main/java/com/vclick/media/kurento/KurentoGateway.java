package com.vclick.media.kurento;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.kurento.KurentoSettings.Bandwidth;
import java.time.Duration;

/**
 * One connection to Kurento Media Server, reduced to the operations the adapter uses, in types of
 * our own. {@link KurentoClientGateway} implements it with {@code kurento-client}; the unit tests
 * with an in-memory fake, so the call logic is tested without a KMS. Every method may throw {@link
 * Failure}; none takes longer than the configured request timeout.
 */
interface KurentoGateway {

  /** Creates a media pipeline named {@code name}. */
  Pipeline createPipeline(String name);

  /** KMS's version (for the probe). */
  String serverVersion();

  /** Whether this connection was closed; a closed gateway is never used again. */
  boolean isClosed();

  /** Closes the connection (the KMS-side objects of its session are left to KMS). */
  void close();

  /** Opens gateways; the real one connects a {@code KurentoClient}. */
  @FunctionalInterface
  interface Connector {
    /**
     * Connects; {@code events} hears of the connection's later losses and reconnections (possibly
     * before this method returns).
     */
    KurentoGateway connect(ConnectionEvents events);
  }

  /** What the connection tells about itself (Kurento's {@code KurentoConnectionListener}). */
  interface ConnectionEvents {
    /** The connection could not be (re-)established. */
    void connectionFailed();

    /** The connection is gone and reconnecting gave up. */
    void disconnected();

    /**
     * The socket came back: {@code sameServer} when the KMS session and its objects survived, false
     * when KMS lost them (restart).
     */
    void reconnected(boolean sameServer);
  }

  /** A media pipeline; releasing it releases every element in it. */
  interface Pipeline extends Releasable {
    String id();

    /**
     * A WebRtcEndpoint with {@code bandwidth} set and {@code events} subscribed; its DTLS
     * certificate is KMS's RSA one, or its ECDSA one with {@code ecdsa} (KMS has one of each for
     * all its endpoints: the other kind gives a new endpoint another fingerprint).
     */
    WebRtc createWebRtcEndpoint(
        String name, Bandwidth bandwidth, boolean ecdsa, WebRtcEvents events);

    /** A RecorderEndpoint writing {@code uri} with {@code profile}. */
    Recorder createRecorder(String name, String uri, Profile profile, RecorderEvents events);

    /** A Composite hub (mixes audio, puts video in a grid). */
    Mixer createComposite(String name);
  }

  /** Something released on the media server; releasing twice is harmless. */
  interface Releasable {
    /** Unsubscribes this object's listeners, then releases it. */
    void release();
  }

  /** A media element: a source of media for the elements it is connected to. */
  interface Element extends Releasable {
    String name();

    /** Sends this element's output to {@code sink} (Kurento: {@code this.connect(sink)}). */
    void connect(Element sink);
  }

  /** A WebRtcEndpoint: one WebRTC peer connection toward one leg. */
  interface WebRtc extends Element {
    String processOffer(String sdp);

    String processAnswer(String sdp);

    String generateOffer();

    void gatherCandidates();

    /**
     * Waits until the endpoint's candidate gathering finished ({@code IceGatheringDone}), at most
     * {@code timeout} ({@code 0}: does not wait); returns whether it did. Never throws: a lost
     * connection simply never reports it. Interrupted: returns at once (interrupt kept).
     */
    boolean awaitGatheringDone(Duration timeout);

    /**
     * The endpoint's local SDP as it is now ({@code getLocalSessionDescriptor}): the SDP of its
     * last {@code processOffer}/{@code generateOffer} with an {@code a=candidate} line for each
     * candidate gathered so far.
     */
    String localSessionDescriptor();

    void addIceCandidate(IceCandidate candidate);
  }

  /**
   * A RecorderEndpoint. After {@link #record()} it starts writing (Kurento's state {@code START},
   * event {@code Recording}) only once media reaches it; until then it stays in {@code STOP}, and a
   * {@link #stop()} there is ignored by KMS ("Already in state stop": no {@code Stopped} follows).
   */
  interface Recorder extends Element {
    void record();

    /**
     * Asks a recording recorder to stop; {@link RecorderEvents#stopped()} follows once its file is
     * complete.
     */
    void stop();

    /** Whether it is writing ({@code getState()} is {@code START} or {@code PAUSE}). */
    boolean isRecording();
  }

  /** A Composite hub. */
  interface Mixer extends Releasable {
    /** A new port: connect a source to it to mix it in; connect it to a sink to get the mix. */
    Element createPort(String name);
  }

  /** Recording profiles used (Kurento's {@code MediaProfileSpecType}). */
  enum Profile {
    WEBM,
    WEBM_AUDIO_ONLY,
    WEBM_VIDEO_ONLY
  }

  /** Events of a WebRtcEndpoint, on a Kurento thread. */
  interface WebRtcEvents {
    /** {@code IceCandidateFound}. */
    void candidateFound(IceCandidate candidate);

    /**
     * {@code MediaFlowInStateChanged}: media of {@code mediaType} is (not) flowing <i>into</i> the
     * endpoint from the pipeline, i.e. what it sends to its peer (KMS reports flows relative to the
     * element inside the pipeline; checked on KMS 7.3.1).
     */
    default void mediaFlowIn(String mediaType, boolean flowing) {}

    /**
     * {@code MediaFlowOutStateChanged}: media of {@code mediaType} is (not) flowing <i>out</i> of
     * the endpoint into the pipeline, i.e. media from its peer (the browser) reaches KMS.
     */
    void mediaFlowOut(String mediaType, boolean flowing);

    /** {@code IceComponentStateChanged} ({@code FAILED}, {@code CONNECTED}, {@code READY}…). */
    void iceComponentState(String state);

    /** {@code ConnectionStateChanged}: the peer connection is (dis)connected. */
    void connectionState(boolean connected);

    /** {@code Error} on the endpoint. */
    void error(String type);
  }

  /** Events of a RecorderEndpoint, on a Kurento thread. */
  interface RecorderEvents {
    /** {@code Recording}: media reached the recorder and it writes. */
    void recording();

    /** {@code Stopped}: all media was written. */
    void stopped();

    /** {@code Error} on the recorder. */
    void error(String type);
  }

  /**
   * A Kurento operation failed. The message names the operation and Kurento's error type, never SDP
   * or candidates.
   */
  final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean unreachable;
    private final String errorType;

    Failure(String message, boolean unreachable, String errorType) {
      super(message, null, false, false);
      this.unreachable = unreachable;
      this.errorType = errorType;
    }

    /** Whether KMS could not be reached (transport, timeout) rather than refused. */
    boolean unreachable() {
      return unreachable;
    }

    /** Kurento's error type (e.g. {@code SDP_END_POINT_ALREADY_NEGOTIATED}) or exception name. */
    String errorType() {
      return errorType;
    }
  }
}
