package com.vclick.core.edge.recording;

import com.vclick.media.api.MediaEvent;

/**
 * A recorded call's finished recording, with what the application knows of the call: for the
 * recordings store (fired as a CDI event by {@link RecordedCallService}).
 *
 * @param recordedCallId the recorded call's id (also the media server's call id)
 * @param userId the enterprise user whose page the call was on
 * @param username that user's username (when the call was opened)
 * @param displayName that user's display name
 * @param connectionId the Secure Edge connection log's id of the page's connection, or null
 * @param origin the page's origin
 * @param decisionId the {@code record} decision the call was opened under
 * @param recording the media server's files and times
 */
public record FinishedRecording(
    String recordedCallId,
    String userId,
    String username,
    String displayName,
    String connectionId,
    String origin,
    String decisionId,
    MediaEvent.RecordingStopped recording) {}
