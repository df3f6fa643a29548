package com.vclick.core.edge.recording;

/**
 * The answer to opening a recorded call.
 *
 * @param recordedCallId the id for the following requests; null when {@code recorded} is false
 * @param recorded false when the media server could not be had and the fail mode lets the call go
 *     ahead unrecorded (the wrapper then relays it as for {@code relay}; an audit entry says so)
 */
public record RecordedCallOpened(String recordedCallId, boolean recorded) {}
