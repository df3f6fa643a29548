package com.vclick.core.edge.recording;

/**
 * A live recorded call was stopped by the server, not by its page: its recording failed under the
 * fail mode {@code block}, or the media server released it (lost, restarted). Fired as a CDI event
 * so that the signaling tells the user's extension at once ({@code recording.stopped},
 * web/SIGNALING.md), whose wrapper then fails the page's connection with a clear error instead of
 * leaving the page to notice through ICE.
 *
 * @param userId the call's owner
 * @param recordedCallId the recorded call
 * @param reason {@code recording-failed}, {@code media-path-lost} (both legs failed), {@code
 *     media-server-lost}, {@code media-server-restarted} or the media server's other release reason
 */
public record RecordedCallStopped(String userId, String recordedCallId, String reason) {

  /** The reason of a call stopped because its recording failed under {@code block}. */
  public static final String RECORDING_FAILED = "recording-failed";
}
