package com.vclick.core.directory;

import java.util.List;

/** Where the directory comes from (Keycloak in production, a fake in unit tests). */
public interface DirectorySource {

  /**
   * Reads every enabled person.
   *
   * @throws DirectoryUnavailableException when the source cannot be read now
   */
  List<DirectoryEntry> readAll();
}
