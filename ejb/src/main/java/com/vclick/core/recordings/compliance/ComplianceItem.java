package com.vclick.core.recordings.compliance;

/**
 * One connection's line in the compliance view.
 *
 * @param explanation why it is not {@link ComplianceStatus#RECORDED} (null when it is)
 * @param recordedCallId the session that decided its status, or null
 * @param recordingId its stored recording, or null
 */
public record ComplianceItem(
    ComplianceFacts facts,
    ComplianceStatus status,
    String explanation,
    String recordedCallId,
    String recordingId) {}
