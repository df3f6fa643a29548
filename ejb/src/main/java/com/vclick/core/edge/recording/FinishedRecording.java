package com.vclick.core.edge.recording;

import com.vclick.media.api.MediaEvent;
import java.time.Duration;

/**
 * A recorded call's finished recording, with what the application knows of the call: for the
 * recordings store (queued by {@link RecordedCalls.Journal#recordingFinished}).
 *
 * @param recordedCallId the recorded call's id (also the media server's call id)
 * @param userId the enterprise user whose page the call was on
 * @param username that user's username (when the call was opened)
 * @param displayName that user's display name
 * @param connectionId the Secure Edge connection log's id of the page's connection, or null
 * @param origin the page's origin
 * @param decisionId the {@code record} decision the call was opened under
 * @param recording the media server's files and times
 * @param enterpriseMedia how long the enterprise leg's media reached the media server while this
 *     recording ran; null: never (the recording lacks that leg)
 * @param farEndMedia the same for the far end's leg
 * @param partial archived from what a crash left behind (the call's end is not in it)
 */
public record FinishedRecording(
    String recordedCallId,
    String userId,
    String username,
    String displayName,
    String connectionId,
    String origin,
    String decisionId,
    MediaEvent.RecordingStopped recording,
    Duration enterpriseMedia,
    Duration farEndMedia,
    boolean partial) {}
