package com.vclick.core.edge.recording;

/** A finished recording was queued for the store: the archiver tries it at once. */
public record IngestQueued(String recordedCallId) {}
