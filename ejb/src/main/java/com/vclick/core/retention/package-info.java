/**
 * Retention of the tables that would otherwise only grow: Secure Edge decisions, the connection log
 * (its calls with their connections), the Vclick call log, each deleted after its own period, and
 * the audit trail, archived to files outside the database (never just deleted). Recordings have
 * their own retention ({@code com.vclick.core.recordings.RecordingRetention}).
 */
package com.vclick.core.retention;
