package com.vclick.media.janus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The recordings folder holds calls before they reach the recordings store: only the service may
 * read it (0700). Created so when missing; an existing one open to others is closed (logged). Janus
 * and this server must therefore run as the same user (janus/README.md).
 */
final class PrivateFolder {

  private static final Logger LOG = Logger.getLogger(PrivateFolder.class.getName());
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private PrivateFolder() {}

  /** Makes {@code dir} exist with mode 0700; failures are logged (recording then fails audited). */
  static void ensure(Path dir) {
    try {
      if (Files.getFileStore(existingAncestor(dir))
          .supportsFileAttributeView(PosixFileAttributeView.class)) {
        if (!Files.isDirectory(dir)) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
          Files.setPosixFilePermissions(dir, OWNER_ONLY); // against the umask
          LOG.info(() -> "janus: created the recordings folder " + dir + " (0700)");
        } else if (!Files.getPosixFilePermissions(dir).equals(OWNER_ONLY)) {
          Files.setPosixFilePermissions(dir, OWNER_ONLY);
          LOG.info(
              () ->
                  "janus: the recordings folder "
                      + dir
                      + " is now readable by its owner only (0700)");
        }
      } else {
        Files.createDirectories(dir);
      }
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      LOG.log(
          Level.WARNING,
          "janus: the recordings folder {0} cannot be made private: {1}",
          new Object[] {dir, e.toString()});
    }
  }

  private static Path existingAncestor(Path dir) {
    Path current = dir;
    while (current != null && !Files.exists(current)) {
      current = current.getParent();
    }
    return current == null ? dir.getRoot() : current;
  }
}
