/**
 * The recordings store: regulated recordings written once, hashed and audited, whatever media
 * server made them.
 *
 * <p>A media-server adapter hands over a finished, playable Matroska/WebM file with the call's
 * context ({@link com.vclick.core.recordings.RecordingContext}); {@link
 * com.vclick.core.recordings.RecordingStore#ingest} copies it under a new name that is never
 * overwritten ({@code <yyyy>/<mm>/<recording id>.mkv} below {@code vclick.recordings.dir}, made
 * read-only), computes its SHA-256 and size while copying, reads codecs and duration with ffprobe
 * and stores the metadata; the audit trail pins the hash ({@code recording.stored}). Every play,
 * download, legal-hold change, verification and deletion is audited with the reviewer's user id and
 * nothing sensitive. Retention ({@link com.vclick.core.recordings.RetentionSweep}) deletes files
 * past {@code vclick.recordings.retention-days} unless on legal hold and keeps their metadata rows
 * with a deletion time.
 *
 * <p>File handling ({@link com.vclick.core.recordings.RecordingFiles}), ffprobe's output ({@link
 * com.vclick.core.recordings.ProbeJson}), retention ({@link
 * com.vclick.core.recordings.RetentionRule}) and the context's validation are plain Java, unit
 * tested; {@link com.vclick.core.recordings.RecordingRepository} is the JPA side.
 */
package com.vclick.core.recordings;
