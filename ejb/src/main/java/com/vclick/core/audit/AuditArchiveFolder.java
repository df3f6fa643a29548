package com.vclick.core.audit;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where archived audit entries are kept ({@code vclick.audit.archive-dir}): outside the database,
 * on a volume every cluster member shares.
 */
public record AuditArchiveFolder(Path value) {

  public AuditArchiveFolder {
    Objects.requireNonNull(value, "value");
  }
}
